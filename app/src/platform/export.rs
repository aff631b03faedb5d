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

/// Characters that make a spreadsheet read a cell as a formula (or, after a tab or carriage
/// return, as something it reinterprets).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell safe to open in a spreadsheet: text a customer or merchant typed that starts like a
/// formula (`=HYPERLINK(...)`, `+cmd`, `@SUM`) gets a leading `'`, which spreadsheets show as
/// text (CSV injection). Plain numbers (`-4.50`) stay as they are. [`restore_cell`] undoes it
/// on import.
pub fn safe_cell(value: &str) -> std::borrow::Cow<'_, str> {
    let risky = value.starts_with(FORMULA_STARTS) && value.trim().parse::<f64>().is_err();
    if risky {
        format!("'{value}").into()
    } else {
        value.into()
    }
}

/// The value [`safe_cell`] protected (a CSV made here, read back by the import).
pub fn restore_cell(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => value,
    }
}

/// Writes one row with every cell made [`safe_cell`].
pub fn write_row<S: AsRef<str>>(
    out: &mut csv::Writer<Vec<u8>>,
    record: &[S],
) -> Result<(), csv::Error> {
    out.write_record(
        record
            .iter()
            .map(|cell| safe_cell(cell.as_ref()).into_owned()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_come_back_on_import() {
        for formula in [
            "=HYPERLINK(\"http://evil\",\"x\")",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
        ] {
            let safe = safe_cell(formula);
            assert!(safe.starts_with('\''), "{formula}");
            assert_eq!(restore_cell(&safe), formula);
        }
        for plain in ["Linen shirt", "-4.50", "12", "", "O'Brien", "'quoted"] {
            assert_eq!(safe_cell(plain), plain);
            assert_eq!(restore_cell(plain), plain);
        }
        let mut out = csv::Writer::from_writer(Vec::new());
        write_row(&mut out, &["=1+1", "ok"]).unwrap();
        let text = String::from_utf8(finish(out).unwrap()).unwrap();
        assert_eq!(text.trim(), "'=1+1,ok");
    }
}
