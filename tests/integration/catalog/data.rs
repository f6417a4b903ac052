//! Data: a file or a value that cannot be used.

use super::*;

#[test]
fn data_missing_file() {
    let c = Case::new("missing");
    let path = c.path("nope.csv");
    let e = read_data(&path).unwrap_err();
    kind!(e, Error::Io { path: p, .. } if *p == path);
    says(&e.to_string(), &[&path, "no such file", "check the path"]);
    cli_fails(
        2,
        &["fit", "--data", &path, "--formula", "y ~ x"],
        &[&path, "no such file"],
    );
}

#[test]
fn data_garbage_bytes_named_parquet() {
    let c = Case::new("garbage");
    let bytes: Vec<u8> = (0..400u32).map(|i| (i * 7919 % 251) as u8).collect();
    let path = c.file("data.parquet", bytes);
    let e = read_data(&path).unwrap_err();
    kind!(e, Error::Io { .. });
    let needles = [
        path.as_str(),
        "not a readable parquet file",
        "export the data as CSV",
    ];
    says(&e.to_string(), &needles);
    cli_fails(2, &["fit", "--data", &path, "--formula", "y ~ x"], &needles);
}

#[test]
fn data_a_directory() {
    let c = Case::new("directory");
    let path = c.path("folder.csv");
    std::fs::create_dir_all(&path).unwrap();
    let e = read_data(&path).unwrap_err();
    kind!(e, Error::Io { .. });
    let needles = [path.as_str(), "a folder, not a file"];
    says(&e.to_string(), &needles);
    cli_fails(2, &["fit", "--data", &path, "--formula", "y ~ x"], &needles);
}

#[test]
fn data_unknown_file_type() {
    let c = Case::new("xlsx");
    let path = c.file("data.xlsx", "PK");
    let e = read_data(&path).unwrap_err();
    kind!(e, Error::Io { .. });
    let needles = ["unknown file type `.xlsx`", "use a .csv"];
    says(&e.to_string(), &needles);
    cli_fails(2, &["fit", "--data", &path, "--formula", "y ~ x"], &needles);
}

#[test]
fn data_empty_file_and_header_only() {
    let c = Case::new("empty");
    for (name, text, needles) in [
        ("empty.csv", "", vec!["empty.csv", "is empty", "header row"]),
        (
            "header.csv",
            "y,x\n",
            vec!["header.csv", "(y, x) but no rows"],
        ),
    ] {
        let path = c.file(name, text);
        let e = read_data(&path).unwrap_err();
        kind!(e, Error::Data { .. });
        says(&e.to_string(), &needles);
        cli_fails(2, &["fit", "--data", &path, "--formula", "y ~ x"], &needles);
    }
}

#[test]
fn data_no_rows_left_after_dropping_missing_values() {
    let csv = "y,x,z\n1,,5\nNA,2,6\n3,NA,7\n";
    let needles = [
        "every row has a missing value",
        "(y, x)",
        "no rows are left",
    ];
    let e = fit_fails(csv, "y ~ x", SAME, &[], 2, &needles);
    kind!(e, Error::Data { .. });
}

#[test]
fn data_duplicate_column_names() {
    // polars renames the copy to `y_duplicated_0`; the model must not pick one silently.
    let csv = "y,x,y\n1,2,3\n4,5,6\n7,8,9\n";
    let c = Case::new("duplicate");
    let path = c.file("data.csv", csv);
    let e = read_data(&path).unwrap_err();
    kind!(e, Error::Data { column: Some(col), .. } if col == "y");
    let needles = ["column `y`", "more than once", "rename"];
    says(&e.to_string(), &needles);
    cli_fails(2, &["fit", "--data", &path, "--formula", "y ~ x"], &needles);
}

#[test]
fn data_semicolon_separated_file() {
    let c = Case::new("semicolon");
    let path = c.file("data.csv", "y;x\n1;2\n2;3\n");
    let e = read_data(&path).unwrap_err();
    kind!(e, Error::Data { .. });
    let needles = ["single column named `y;x`", "semicolons", "comma-separated"];
    says(&e.to_string(), &needles);
    cli_fails(2, &["fit", "--data", &path, "--formula", "y ~ x"], &needles);
}

#[test]
fn data_text_in_a_numeric_column() {
    // Used as a bare name, a mostly numeric column with a stray word was silently categorical.
    let csv = edit(3, "x", "abc");
    let needles = ["column `x`, row 3", "`abc`", "read as text", "C(x)"];
    let e = fit_fails(&csv, "y ~ x", SAME, &[], 2, &needles);
    kind!(e, Error::Data { column: Some(c), row: Some(2), .. } if c == "x");
    // Inside arithmetic, and in the response.
    let needles = [
        "column `x`, row 3",
        "holds text (`abc`)",
        "clean the column",
    ];
    fit_fails(&csv, "y ~ log(x)", SAME, &[], 2, &needles);
    let csv = edit(2, "y", "two");
    let e = fit_fails(&csv, "y ~ x", SAME, &[], 2, &["column `y`, row 2", "`two`"]);
    kind!(e, Error::Data { row: Some(1), .. });
    // Asked for explicitly, a text column is categorical.
    let c = Case::new("text-categorical");
    let (_, df) = c.data(&edit(3, "x", "abc"));
    assert!(glm("y ~ C(x)", &df).fit().is_ok());
}

#[test]
fn data_infinite_values_name_the_row_of_the_file() {
    // Row 2 is dropped (missing x); the infinite value is on row 6 of the file, not row 5.
    let csv = edit(6, "x", "inf").replace("\n0,1.5,", "\n0,NA,");
    let needles = ["column `x`, row 6", "inf", "not a finite number"];
    let e = fit_fails(&csv, "y ~ x", SAME, &[], 2, &needles);
    kind!(e, Error::Data { row: Some(5), .. });
    let needles = ["column `log(x - 1)`, row 1", "NaN"];
    fit_fails(BASE, "y ~ log(x - 1)", SAME, &[], 2, &needles);
}

#[test]
fn data_too_few_rows_for_the_columns() {
    let csv = "y,x,z,g\n1,2,3,a\n2,3,5,b\n4,1,2,c\n";
    let needles = ["5 coefficients", "only 3 rows", "fewer terms or more data"];
    let e = fit_fails(csv, "y ~ x + z + g", SAME, &[], 2, &needles);
    kind!(e, Error::Data { .. });
}
