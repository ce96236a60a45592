//! Files people attach (server side): what may be uploaded — photos and PDFs, recognised by
//! their first bytes, never by what the browser claims — and who may open a stored one.

use crate::auth::caller::Caller;
use crate::errors::{AppError, Problem};
use crate::i18n::Msg;
use crate::models::request::AttachmentRef;
use crate::models::Permission;
use crate::storage::{attachment, Db};

/// The file's type by its first bytes: JPEG, PNG, WebP, HEIC or PDF; anything else is refused.
pub fn kind_of(bytes: &[u8]) -> Option<&'static str> {
    let starts = |magic: &[u8]| bytes.len() >= magic.len() && &bytes[..magic.len()] == magic;
    if starts(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if starts(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if bytes.len() >= 12
        && &bytes[4..8] == b"ftyp"
        && matches!(&bytes[8..12], b"heic" | b"heix" | b"mif1" | b"heif")
    {
        Some("image/heic")
    } else if starts(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

/// A name safe to store and to send back: no folders, no control characters, not too long.
pub fn clean_name(name: &str, mime: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>'))
        .take(120)
        .collect();
    let cleaned = cleaned.trim().to_string();
    if !cleaned.is_empty() {
        return cleaned;
    }
    match mime {
        "application/pdf" => "документ.pdf".into(),
        "image/png" => "фото.png".into(),
        _ => "фото.jpg".into(),
    }
}

/// At most this many files may wait, uploaded by one person and not yet sent with anything:
/// a request or a notice takes one, so a form filled twice over still fits.
pub const MAX_WAITING_FILES: i64 = 10;
/// … and at most this many bytes of them.
pub const MAX_WAITING_BYTES: i64 = 40 * 1024 * 1024;
/// What one person may upload in a day, sent or not.
pub const MAX_DAILY_BYTES: i64 = 200 * 1024 * 1024;
/// An upload not sent with anything within this time is removed by the sweep.
pub const KEEP_UNSENT_SECONDS: i64 = 24 * 3600;

/// Whether `size` more bytes fit the person's quota (files waiting, bytes a day).
async fn check_quota(db: &Db, c: &Caller, size: i64) -> Result<(), AppError> {
    let (files, bytes) = attachment::waiting_of(db, c.user_id).await?;
    let today = attachment::uploaded_since(db, c.user_id, crate::storage::now() - 24 * 3600).await?;
    if files >= MAX_WAITING_FILES || bytes + size > MAX_WAITING_BYTES || today + size > MAX_DAILY_BYTES {
        tracing::info!(user = c.user_id, files, bytes, today, "upload over the quota");
        return Err(AppError::UploadQuota);
    }
    Ok(())
}

/// Those who write requests, replies or notices may upload.
fn may_upload(c: &Caller) -> bool {
    [
        Permission::OwnPremises,
        Permission::HandleRequests,
        Permission::EditData,
    ]
    .iter()
    .any(|p| c.role.allows(*p))
}

/// Keeps an uploaded file; it waits unattached until its uploader sends it with something.
pub async fn upload(db: &Db, c: &Caller, name: &str, bytes: &[u8]) -> Result<AttachmentRef, AppError> {
    if !may_upload(c) {
        return Err(AppError::Forbidden);
    }
    if bytes.is_empty() {
        return Err(AppError::invalid(Msg::NoticeAttachment, Problem::Required));
    }
    if bytes.len() > attachment::MAX_BYTES {
        return Err(AppError::invalid(Msg::NoticeAttachment, Problem::TooLong));
    }
    let mime = kind_of(bytes).ok_or(AppError::invalid(Msg::NoticeAttachment, Problem::BadFormat))?;
    check_quota(db, c, bytes.len() as i64).await?;
    let name = clean_name(name, mime);
    let a = attachment::create(db, c.company_id, c.user_id, &name, mime, bytes, crate::storage::now()).await?;
    tracing::info!(attachment = a.id, size = a.size, user = c.user_id, "file uploaded");
    Ok(AttachmentRef {
        id: a.id,
        name: a.name,
        mime: a.mime,
        size: a.size,
    })
}

/// A stored file and its bytes, if the caller may open it: staff of the company any of its
/// files; a resident what they uploaded, what is in their own requests' threads and what
/// comes with notices meant for them. Anything else is "not found".
pub async fn open(db: &Db, c: &Caller, id: i64) -> Result<(attachment::Attachment, Vec<u8>), AppError> {
    let a = attachment::get(db, c.company_id, id).await?;
    let staff = c.role.allows(Permission::ViewData) || c.role.allows(Permission::HandleRequests);
    let allowed = staff
        || (c.role.allows(Permission::OwnPremises)
            && (a.uploaded_by == Some(c.user_id)
                || attachment::in_requests_of(db, c.company_id, id, c.user_id).await?
                || attachment::in_notices_for(db, c.company_id, id, c.user_id).await?));
    if !allowed {
        return Err(AppError::NotFound);
    }
    let bytes = attachment::content(db, c.company_id, id).await?;
    Ok((a, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_known_by_their_first_bytes() {
        assert_eq!(kind_of(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some("image/jpeg"));
        assert_eq!(kind_of(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(kind_of(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(kind_of(b"\0\0\0\x18ftypheic...."), Some("image/heic"));
        assert_eq!(kind_of(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(kind_of(b"<html><script>"), None);
        assert_eq!(kind_of(b"MZ\x90\0"), None);
        assert_eq!(kind_of(&[]), None);
    }

    #[test]
    fn names_lose_folders_and_control_characters() {
        assert_eq!(clean_name("C:\\Users\\Пётр\\течь.jpg", "image/jpeg"), "течь.jpg");
        assert_eq!(clean_name("../../etc/passwd", "image/jpeg"), "passwd");
        assert_eq!(clean_name("a\"b<c>\n.pdf", "application/pdf"), "abc.pdf");
        assert_eq!(clean_name("", "application/pdf"), "документ.pdf");
    }
}
