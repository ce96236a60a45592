//! Names, streets and the demo sign-ins.

use app::auth::password;
use app::models::Role;
use app::storage::{membership, premise, resident, user, Db, StorageError};
use rand::rngs::SmallRng;
use rand::Rng;

use super::{DemoReport, DEMO_PASSWORD};

pub const STREETS: &[&str] = &[
    "ул. Профсоюзная",
    "ул. Академика Пилюгина",
    "Ленинский проспект",
    "ул. Гарибальди",
    "ул. Вавилова",
    "Мичуринский проспект",
    "ул. Удальцова",
    "ул. Лобачевского",
];

const SURNAMES: &[&str] = &[
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
];
const INITIALS: &[char] = &[
    'А', 'В', 'Г', 'Д', 'Е', 'И', 'К', 'Л', 'М', 'Н', 'О', 'П', 'С', 'Т',
];

pub fn owner(rng: &mut SmallRng) -> String {
    let surname = SURNAMES[rng.gen_range(0..SURNAMES.len())];
    let female = rng.gen_bool(0.5);
    let (a, b) = (
        INITIALS[rng.gen_range(0..INITIALS.len())],
        INITIALS[rng.gen_range(0..INITIALS.len())],
    );
    if female {
        format!("{surname}а {a}. {b}.")
    } else {
        format!("{surname} {a}. {b}.")
    }
}

/// A FIAS house GUID (random version-4 form, as FIAS codes look).
pub fn fias(rng: &mut SmallRng) -> String {
    let b: [u8; 16] = rng.gen();
    format!(
        "{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-4{:01x}{:02x}-{:01x}{:01x}{:02x}-{}",
        b[0],
        b[1],
        b[2],
        b[3],
        b[4],
        b[5],
        b[6] & 0xf,
        b[7],
        8 | (b[8] & 3),
        b[9] & 0xf,
        b[10],
        b[11..16]
            .iter()
            .map(|x| format!("{x:02x}"))
            .collect::<String>()
            + "00"
    )
}

struct Person {
    login: &'static str,
    name: &'static str,
    roles: &'static [(usize, Role)],
}

/// The sign-ins printed at start. Company 0 is «УК Огни», 1 is «Рассвет».
const PEOPLE: &[Person] = &[
    Person {
        login: "admin",
        name: "Смирнова Ольга Викторовна",
        roles: &[(0, Role::Administrator)],
    },
    Person {
        login: "dispatcher",
        name: "Козлов Андрей Сергеевич",
        roles: &[(0, Role::Dispatcher), (1, Role::Dispatcher)],
    },
    Person {
        login: "engineer",
        name: "Никитин Павел Олегович",
        roles: &[(0, Role::ServiceEngineer)],
    },
    Person {
        login: "reader",
        name: "Орлова Марина Игоревна",
        roles: &[(0, Role::Reader)],
    },
    Person {
        login: "controller",
        name: "Быков Денис Александрович",
        roles: &[(0, Role::FieldStaff)],
    },
    Person {
        login: "resident",
        name: "Петров Иван Николаевич",
        roles: &[(0, Role::Resident)],
    },
    Person {
        login: "rassvet",
        name: "Белова Анна Петровна",
        roles: &[(1, Role::Dispatcher)],
    },
];

pub async fn users(
    db: &Db,
    ogni: i64,
    rassvet: i64,
    report: &mut DemoReport,
) -> Result<(), StorageError> {
    let hash = password::hash(DEMO_PASSWORD.to_string()).await;
    let companies = [ogni, rassvet];
    for p in PEOPLE {
        let u = user::create(
            db,
            &user::User {
                login: p.login.into(),
                password_hash: hash.clone(),
                full_name: p.name.into(),
                ..Default::default()
            },
        )
        .await?;
        for (company, role) in p.roles {
            membership::create(db, u.id, companies[*company], *role).await?;
        }
        if p.login == "resident" {
            // Flat 12 of the first building, the same flat the dispatcher can find.
            let first_object: i64 =
                sqlx::query_scalar("SELECT MIN(id) FROM objects WHERE company_id = $1")
                    .bind(ogni)
                    .fetch_one(db.pool())
                    .await?;
            let flat = premise::list(db, ogni, first_object)
                .await?
                .into_iter()
                .find(|f| f.number == "12")
                .ok_or(StorageError::NotFound)?;
            resident::attach(db, u.id, &flat).await?;
        }
        report
            .logins
            .push((p.login.to_string(), p.roles[0].1, DEMO_PASSWORD.to_string()));
    }
    Ok(())
}
