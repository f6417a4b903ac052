// Run by the rustystats kernel before the first cell (EVCXR_CONFIG_DIR points here).
// evcxr only prints a panic (or a failed assert!) to stderr and carries on, so a notebook
// test would pass a failing cell. This hook ends the evaluation process instead: the cell
// fails ("Subprocess terminated with status: exit status: 101") and so does nbval.
std::panic::set_hook(Box::new(|info| {
    eprintln!("{info}");
    eprintln!("(rustystats kernel: a panic ends the cell in error; variables are reset)");
    std::process::exit(101);
}));
// evcxr wraps a cell's code in a function that can return an error only after a first compile
// of a cell using `?` has failed (E0277). Using `?` here, once, at start-up saves that second
// compile (about 1 s) in the first cell that uses `?`.
Ok::<(), std::fmt::Error>(())?;
