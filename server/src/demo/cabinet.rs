//! The demo's residents' cabinet: a few more registered residents in the first building,
//! requests at every stage with their threads, and notices (one urgent, one permanent, one
//! not yet published) with some read — so the desk and the cabinet are alive on first start.

use app::auth::password;
use app::models::Role;
use app::storage::service_request::{self, RequestMessage, ServiceRequest};
use app::storage::{membership, notice, premise, resident, user, Db, StorageError};

use super::DEMO_PASSWORD;

/// Residents registered by code in the first building: (login, name, flat).
const NEIGHBOURS: &[(&str, &str, &str)] = &[
    ("ivanova@example.ru", "Иванова Мария Петровна", "3"),
    ("sokolov@example.ru", "Соколов Артём Игоревич", "27"),
    ("lebedeva@example.ru", "Лебедева Ольга Сергеевна", "41"),
];

struct Story {
    flat: &'static str,
    author: usize,
    specialist: &'static str,
    /// What kind of work it is (sets its stages' time limits).
    category: &'static str,
    message: &'static str,
    days_ago: i64,
    /// Stages it went through after registration, with the staff message at each.
    path: &'static [(&'static str, &'static str)],
    engineer: bool,
}

const STORIES: &[Story] = &[
    Story {
        flat: "12",
        author: 0,
        specialist: "plumber",
        category: "repair",
        message: "На кухне подтекает смеситель, под раковиной лужа. Дома после 18:00.",
        days_ago: 9,
        path: &[
            ("qualification", "Заявка принята, передана сантехнику."),
            ("execution", "Мастер придёт завтра с 18:00 до 20:00."),
            ("completion", "Смеситель заменён, течи нет."),
        ],
        engineer: true,
    },
    Story {
        flat: "12",
        author: 0,
        specialist: "electrician",
        category: "repair",
        message: "В подъезде на 4 этаже не горит свет на лестничной площадке.",
        days_ago: 2,
        path: &[("qualification", ""), ("execution", "Электрик заменит светильник сегодня.")],
        engineer: true,
    },
    Story {
        flat: "3",
        author: 1,
        specialist: "intercom",
        category: "repair",
        message: "Домофон не открывает дверь с ключа, только по коду.",
        days_ago: 1,
        path: &[],
        engineer: false,
    },
    Story {
        flat: "27",
        author: 2,
        specialist: "lift",
        category: "emergency",
        message: "Лифт во втором подъезде останавливается между этажами, двери открываются не сразу.",
        days_ago: 0,
        path: &[],
        engineer: false,
    },
];

pub async fn generate(db: &Db, ogni: i64, today_ts: i64) -> Result<(), StorageError> {
    let first_object: i64 = sqlx::query_scalar("SELECT MIN(id) FROM objects WHERE company_id = $1")
        .bind(ogni)
        .fetch_one(db.pool())
        .await?;
    let flats = premise::list(db, ogni, first_object).await?;
    let flat = |n: &str| flats.iter().find(|f| f.number == n).cloned().ok_or(StorageError::NotFound);
    let hash = password::hash(DEMO_PASSWORD.to_string()).await;
    let mut authors = vec![user::get_by_login(db, "resident").await?.ok_or(StorageError::NotFound)?.id];
    for (login, name, number) in NEIGHBOURS {
        let u = user::create(
            db,
            &user::User {
                login: (*login).into(),
                email: (*login).into(),
                password_hash: hash.clone(),
                full_name: (*name).into(),
                ..Default::default()
            },
        )
        .await?;
        membership::create(db, u.id, ogni, Role::Resident).await?;
        resident::attach(db, u.id, &flat(number)?).await?;
        authors.push(u.id);
    }
    let dispatcher = user::get_by_login(db, "dispatcher").await?.ok_or(StorageError::NotFound)?.id;
    let engineer = user::get_by_login(db, "engineer").await?.ok_or(StorageError::NotFound)?.id;

    for s in STORIES {
        let p = flat(s.flat)?;
        let mut at = today_ts - s.days_ago * 86_400 - 3 * 3600;
        let r = service_request::create(
            db,
            &ServiceRequest {
                company_id: ogni,
                object_id: Some(first_object),
                premise_id: Some(p.id),
                author_id: Some(authors[s.author]),
                specialist: s.specialist.into(),
                category: s.category.into(),
                message: s.message.into(),
                stage: "registration".into(),
                created_at: at,
                ..Default::default()
            },
        )
        .await?;
        let say = |kind: String, body: &str, at: i64| RequestMessage {
            request_id: r.id,
            company_id: ogni,
            author_id: Some(dispatcher),
            staff: 1,
            kind,
            body: body.into(),
            created_at: at,
            ..Default::default()
        };
        if s.engineer && !s.path.is_empty() {
            at += 1_800;
            service_request::set_assignee(db, ogni, r.id, Some(engineer), at).await?;
            service_request::add_message(db, &say("assigned".into(), "Никитин Павел Олегович", at)).await?;
        }
        for (stage, text) in s.path {
            at += 4 * 3600;
            service_request::set_stage(db, ogni, r.id, stage, *stage == "completion", at).await?;
            service_request::add_message(db, &say(format!("stage:{stage}"), "", at)).await?;
            if !text.is_empty() {
                service_request::add_message(db, &say("message".into(), text, at + 60)).await?;
            }
        }
        if !s.path.is_empty() {
            service_request::mark_seen(db, ogni, r.id, true).await?;
        }
    }

    let works = chrono::DateTime::from_timestamp(today_ts, 0)
        .map(|t| t.date_naive())
        .unwrap_or_default()
        + chrono::Duration::days(14);
    let works_day = app::models::format::date(works);
    let works_key = works.format("%Y-%m-%d").to_string();
    let shutdown_title = format!("Отключение горячей воды {works_day}");
    let shutdown_body = format!(
        "В связи с ремонтом теплового узла {works_day} с 9:00 до 17:00 в доме не будет горячей воды. Приносим извинения за неудобства."
    );
    let notices = [
        (
            "urgent",
            shutdown_title.as_str(),
            shutdown_body.as_str(),
            Some(works_key.as_str()),
            true,
            vec![first_object],
        ),
        (
            "permanent",
            "Передача показаний с 15 по 25 число",
            "Показания счётчиков принимаются с 15 по 25 число каждого месяца в личном кабинете, по телефону диспетчерской и через контролёров.",
            None,
            true,
            sqlx::query_scalar::<_, i64>("SELECT id FROM objects WHERE company_id = $1 ORDER BY id")
                .bind(ogni)
                .fetch_all(db.pool())
                .await?,
        ),
        (
            "urgent",
            "Промывка системы отопления",
            "Черновик: даты уточняются у РСО.",
            None,
            false,
            vec![first_object],
        ),
    ];
    for (i, (kind, title, body, until, published, objects)) in notices.into_iter().enumerate() {
        let created = today_ts - (5 - i as i64) * 86_400;
        let n = notice::create(
            db,
            &notice::Notice {
                company_id: ogni,
                author_id: Some(dispatcher),
                kind: kind.into(),
                title: title.into(),
                body: body.into(),
                works_until: until.map(str::to_string),
                created_at: created,
                ..Default::default()
            },
        )
        .await?;
        notice::set_targets(db, n.id, &objects, &[]).await?;
        if published {
            notice::set_published(db, ogni, n.id, true, created + 600).await?;
            // two neighbours have read the notices already; the demo resident has not
            for a in &authors[1..3] {
                notice::mark_read(db, n.id, *a, created + 3_600).await?;
            }
        }
    }
    Ok(())
}
