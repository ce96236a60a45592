//! Notices as people read them: the dispatcher's list with read counts, one notice with its
//! read receipts, the buildings and flats to address, and a resident's own notices.

use super::local_time;
use crate::auth::caller::Caller;
use crate::errors::AppError;
use crate::models::notice::{
    MyNotice, NoticeView, NoticeDraft, NoticeKind, NoticeRow, ReadReceipt, RecipientChoice,
    Recipients,
};
use crate::models::request::AttachmentRef;
use crate::storage::notice::{self, Notice};
use crate::storage::{attachment, object, premise, resident, Db};

/// Notices are written for the company, so they show in its usual zone, Moscow.
const TZ: chrono_tz::Tz = chrono_tz::Europe::Moscow;

fn date_of(s: &Option<String>) -> Option<chrono::NaiveDate> {
    s.as_deref()
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

async fn attachment_ref(db: &Db, company_id: i64, id: Option<i64>) -> Option<AttachmentRef> {
    let a = attachment::get(db, company_id, id?).await.ok()?;
    Some(AttachmentRef {
        id: a.id,
        name: a.name,
        mime: a.mime,
        size: a.size,
    })
}

/// Whom a notice is for, in words: building names and «кв. N» with their building.
async fn addressed(db: &Db, company_id: i64, r: &Recipients) -> Result<String, AppError> {
    let mut parts = Vec::new();
    for o in &r.objects {
        parts.push(object::get(db, company_id, *o).await?.name);
    }
    for p in &r.premises {
        let p = premise::get(db, company_id, *p).await?;
        let o = object::get(db, company_id, p.object_id).await?;
        parts.push(format!("{}, кв. {}", o.name, p.number));
    }
    Ok(parts.join("; "))
}

async fn recipients_of(db: &Db, notice_id: i64) -> Result<Recipients, AppError> {
    let mut r = Recipients::default();
    for t in notice::list_targets(db, notice_id).await? {
        if let Some(o) = t.object_id {
            r.objects.push(o);
        }
        if let Some(p) = t.premise_id {
            r.premises.push(p);
        }
    }
    Ok(r)
}

async fn row(db: &Db, company_id: i64, n: &Notice) -> Result<(NoticeRow, Recipients, Vec<ReadReceipt>), AppError> {
    let recipients = recipients_of(db, n.id).await?;
    let receipts: Vec<ReadReceipt> = notice::receipts(db, company_id, n.id)
        .await?
        .into_iter()
        .map(|r| ReadReceipt {
            name: r.full_name,
            object: r.object_name,
            flat: r.premise_number,
            read_at: r.read_at.map(|t| local_time(TZ, t)),
        })
        .collect();
    let row = NoticeRow {
        id: n.id,
        kind: NoticeKind::parse(&n.kind).unwrap_or(NoticeKind::Permanent),
        title: n.title.clone(),
        created: local_time(TZ, n.created_at),
        works_until: date_of(&n.works_until),
        published: n.published != 0,
        addressed: addressed(db, company_id, &recipients).await?,
        recipients: receipts.len() as i64,
        read: receipts.iter().filter(|r| r.read_at.is_some()).count() as i64,
    };
    Ok((row, recipients, receipts))
}

pub async fn list(db: &Db, caller: &Caller) -> Result<Vec<NoticeRow>, AppError> {
    let mut out = Vec::new();
    for n in notice::list(db, caller.company_id).await? {
        out.push(row(db, caller.company_id, &n).await?.0);
    }
    Ok(out)
}

pub async fn card(db: &Db, caller: &Caller, id: i64) -> Result<NoticeView, AppError> {
    let n = notice::get(db, caller.company_id, id).await?;
    let (row, recipients, receipts) = row(db, caller.company_id, &n).await?;
    Ok(NoticeView {
        draft: NoticeDraft {
            id: Some(n.id),
            kind: row.kind,
            title: n.title.clone(),
            body: n.body.clone(),
            works_until: row.works_until,
            attachment_id: n.attachment_id,
            recipients,
        },
        attachment: attachment_ref(db, caller.company_id, n.attachment_id).await,
        row,
        receipts,
    })
}

/// The company's buildings with their premises and how many residents each has registered.
pub async fn choices(db: &Db, caller: &Caller) -> Result<Vec<RecipientChoice>, AppError> {
    let mut out = Vec::new();
    for o in object::list(db, caller.company_id).await? {
        let counts = resident::count_by_premise(db, caller.company_id, o.id).await?;
        let premises = premise::list(db, caller.company_id, o.id)
            .await?
            .into_iter()
            .map(|p| {
                let n = counts.iter().find(|(id, _)| *id == p.id).map(|(_, n)| *n).unwrap_or(0);
                (p.id, p.number, n)
            })
            .collect();
        out.push(RecipientChoice {
            object_id: o.id,
            object: o.name,
            premises,
        });
    }
    Ok(out)
}

/// A resident's published notices, newest first.
pub async fn mine(db: &Db, caller: &Caller) -> Result<Vec<MyNotice>, AppError> {
    let mut out = Vec::new();
    for (n, read) in notice::list_for_resident(db, caller.company_id, caller.user_id).await? {
        out.push(MyNotice {
            id: n.id,
            kind: NoticeKind::parse(&n.kind).unwrap_or(NoticeKind::Permanent),
            published: local_time(TZ, n.published_at.unwrap_or(n.created_at)),
            works_until: date_of(&n.works_until),
            attachment: attachment_ref(db, caller.company_id, n.attachment_id).await,
            title: n.title,
            body: n.body,
            read: read.is_some(),
        });
    }
    Ok(out)
}
