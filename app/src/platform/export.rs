//! What CSV downloads share: their error and how a finished writer becomes bytes.

/// Writing a CSV file failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Csv(#[from] csv::Error),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// The bytes a CSV writer wrote.
pub fn finish(out: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, ExportError> {
    out.into_inner()
        .map_err(|e| ExportError::Io(e.into_error()))
}
