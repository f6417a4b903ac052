//! The values of one dense design column, owned or shared with the data they came from.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// The values of one dense design column.
///
/// The owner can be a `Vec<f64>` or any other holder of a slice, such as the buffer of a
/// DataFrame's column: a numeric column then enters the design without a copy, and cloning
/// a design shares its columns.
///
/// ```
/// use rustystats::design::ColumnValues;
/// let x = ColumnValues::from(vec![1.0, 2.0]);
/// assert_eq!(&x[..], &[1.0, 2.0]);
/// assert_eq!(x.len(), 2);
/// ```
#[derive(Clone)]
pub struct ColumnValues(Arc<dyn AsRef<[f64]> + Send + Sync>);

impl ColumnValues {
    /// Values held by `owner`, shared (not copied).
    pub fn shared(owner: impl AsRef<[f64]> + Send + Sync + 'static) -> Self {
        ColumnValues(Arc::new(owner))
    }
}

impl From<Vec<f64>> for ColumnValues {
    fn from(values: Vec<f64>) -> Self {
        ColumnValues::shared(values)
    }
}

impl Deref for ColumnValues {
    type Target = [f64];

    fn deref(&self) -> &[f64] {
        (*self.0).as_ref()
    }
}

impl fmt::Debug for ColumnValues {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ColumnValues({} values)", self.len())
    }
}
