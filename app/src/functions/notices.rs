//! Notices to residents (F36): dispatchers write them to buildings or flats, publish and
//! withdraw them and see who has read each; residents read the ones meant for them.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::errors::AppError;
use crate::models::notice::{MyNotice, NoticeView, NoticeDraft, NoticeRow, RecipientChoice};

/// The company's notices, newest first, with how many of their residents have read each.
#[server(endpoint = "notices")]
pub async fn notices() -> Result<Vec<NoticeRow>, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    crate::queries::notices::list(&db, &c).await
}

/// One notice with its read receipts.
#[server(endpoint = "notice_card")]
pub async fn notice_card(id: i64) -> Result<NoticeView, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    crate::queries::notices::card(&db, &c, id).await
}

/// The buildings and flats a notice can be addressed to.
#[server(endpoint = "notice_choices")]
pub async fn notice_choices() -> Result<Vec<RecipientChoice>, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::EditData).await?;
    crate::queries::notices::choices(&db, &c).await
}

/// Writes a new notice or changes one; returns its id. Publishing is a separate step.
#[server(endpoint = "save_notice", input = Json)]
pub async fn save_notice(draft: NoticeDraft) -> Result<i64, AppError> {
    use crate::auth::caller::authorize;
    use crate::errors::Problem;
    use crate::i18n::Msg;
    use crate::models::notice::{MAX_BODY_CHARS, MAX_TITLE_CHARS};
    use crate::models::Permission;
    use crate::storage::notice::{self, Notice};
    use crate::storage::{audit, object, premise};

    let (db, c) = authorize(Permission::EditData).await?;
    let title = draft.title.trim().to_string();
    let body = draft.body.trim().to_string();
    if title.is_empty() {
        return Err(AppError::invalid(Msg::NoticeTitle, Problem::Required));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(AppError::invalid(Msg::NoticeTitle, Problem::TooLong));
    }
    if body.chars().count() > MAX_BODY_CHARS {
        return Err(AppError::invalid(Msg::NoticeBody, Problem::TooLong));
    }
    if draft.recipients.is_empty() {
        return Err(AppError::invalid(Msg::NoticeRecipients, Problem::Required));
    }
    // every addressee must be the company's: another company's id is "not found"
    for o in &draft.recipients.objects {
        object::get(&db, c.company_id, *o).await?;
    }
    for p in &draft.recipients.premises {
        premise::get(&db, c.company_id, *p).await?;
    }
    let now = crate::storage::now();
    let mut n = Notice {
        company_id: c.company_id,
        author_id: Some(c.user_id),
        kind: draft.kind.as_str().into(),
        title,
        body,
        works_until: draft.works_until.map(|d| d.format("%Y-%m-%d").to_string()),
        attachment_id: draft.attachment_id,
        created_at: now,
        ..Default::default()
    };
    let id = match draft.id {
        Some(id) => {
            let old = notice::get(&db, c.company_id, id).await?;
            if n.attachment_id != old.attachment_id {
                n.attachment_id =
                    crate::functions::requests::own_unattached(&db, &c, n.attachment_id).await?;
            }
            n.id = id;
            notice::update(&db, &n, now).await?;
            id
        }
        None => {
            n.attachment_id =
                crate::functions::requests::own_unattached(&db, &c, n.attachment_id).await?;
            notice::create(&db, &n).await?.id
        }
    };
    notice::set_targets(&db, id, &draft.recipients.objects, &draft.recipients.premises).await?;
    audit::create(&db, Some(c.company_id), Some(c.user_id), "save_notice", &id.to_string(), &c.ip)
        .await?;
    Ok(id)
}

/// Publishes a notice to its residents, or withdraws it.
#[server(endpoint = "publish_notice")]
pub async fn publish_notice(id: i64, published: bool) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;
    use crate::storage::{audit, notice};

    let (db, c) = authorize(Permission::EditData).await?;
    notice::set_published(&db, c.company_id, id, published, crate::storage::now()).await?;
    let action = if published { "publish_notice" } else { "unpublish_notice" };
    audit::create(&db, Some(c.company_id), Some(c.user_id), action, &id.to_string(), &c.ip).await?;
    Ok(())
}

/// The notices meant for my premises.
#[server(endpoint = "my_notices")]
pub async fn my_notices() -> Result<Vec<MyNotice>, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::OwnPremises).await?;
    crate::queries::notices::mine(&db, &c).await
}

/// I have read a notice; one not meant for me is "not found".
#[server(endpoint = "read_notice")]
pub async fn read_notice(id: i64) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;
    use crate::storage::notice;

    let (db, c) = authorize(Permission::OwnPremises).await?;
    if !notice::reaches(&db, c.company_id, id, c.user_id).await? {
        return Err(AppError::NotFound);
    }
    notice::mark_read(&db, id, c.user_id, crate::storage::now()).await?;
    Ok(())
}
