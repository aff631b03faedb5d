//! Pictures sent by a form (`multipart/form-data`): read within a size bound, then kept as an
//! original by [`super::storage`]. Every upload endpoint (product pictures, the shop's logo, a
//! seller's logo and banner) reads its form here, so each refuses the same way.

use leptos::server_fn::codec::MultipartData;
use shop_types::Problem;
use std::collections::HashMap;

/// A posted form: its text fields (trimmed) and the bytes of its `file` field.
#[derive(Debug, Default)]
pub struct UploadedForm {
    pub fields: HashMap<String, String>,
    pub file: Vec<u8>,
}

impl UploadedForm {
    /// A text field's value ("" when absent).
    pub fn field(&self, name: &str) -> &str {
        self.fields
            .get(name)
            .map(String::as_str)
            .unwrap_or_default()
    }
}

/// Longest text field kept (an alternative text, an id, a choice).
const MAX_FIELD_BYTES: usize = 4 * 1024;

/// Reads the form: at most `max_file` bytes of `file`; refuses a form cut off or a file too
/// large (an empty `file` is the caller's to refuse, once it knows where to say so).
pub async fn read_form(data: MultipartData, max_file: usize) -> Result<UploadedForm, Problem> {
    let mut multipart = data.into_inner().ok_or(Problem::PictureMissing)?;
    let mut form = UploadedForm::default();
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|_| Problem::UploadCutOff)?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let is_file = name == "file";
        let limit = if is_file { max_file } else { MAX_FIELD_BYTES };
        let mut value = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| Problem::UploadCutOff)? {
            if value.len() + chunk.len() > limit {
                return Err(if is_file {
                    Problem::PictureTooLarge
                } else {
                    Problem::UploadCutOff
                });
            }
            value.extend_from_slice(&chunk);
        }
        if is_file {
            form.file = value;
        } else {
            let text = String::from_utf8_lossy(&value).trim().to_owned();
            form.fields.insert(name, text);
        }
    }
    Ok(form)
}

/// Keeps `bytes` as an original under `root`: (key, width, height), or the picture is not a
/// PNG, JPEG or WebP that can be read.
pub async fn store_picture(
    root: std::path::PathBuf,
    bytes: Vec<u8>,
) -> Result<(String, u32, u32), Problem> {
    tokio::task::spawn_blocking(move || super::storage::store_original(&root, &bytes))
        .await
        .map_err(|_| Problem::PictureFormatUnknown)?
        .map_err(|_| Problem::PictureFormatUnknown)
}
