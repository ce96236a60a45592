//! `server setup`: a company and its administrator for scripted installs, the same checks and
//! the same transaction as the first-run page. Run again with the same login it changes
//! nothing and says so.

use app::functions::setup::{make_company, NewAdmin};
use app::i18n::Lang;
use app::models::company::CompanyForm;
use app::models::Role;
use app::storage::first_start::Created;
use app::storage::{membership, user, Db};

/// What `run` did, in words for the person at the terminal.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    Created { company_id: i64, user_id: i64 },
    /// The login exists and administers a company of this name already.
    AlreadyThere { company_id: i64 },
}

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// A field was wrong: the same Russian sentence the page shows.
    #[error("{0}")]
    Invalid(String),
    #[error("логин «{login}» уже занят пользователем другой организации; ничего не изменено")]
    LoginTaken { login: String },
    #[error(transparent)]
    Storage(#[from] app::storage::StorageError),
}

/// Makes the company unless its administrator's login exists already.
pub async fn run(
    db: &Db,
    form: CompanyForm,
    login: &str,
    full_name: &str,
    password: String,
) -> Result<Outcome, SetupError> {
    let login = login.trim().to_lowercase();
    let name = form.name.trim().to_string();
    if let Some(u) = user::get_by_login(db, &login).await? {
        let same = membership::list_for_user(db, u.id)
            .await?
            .into_iter()
            .find(|m| m.role == Role::Administrator && m.company_name == name);
        return match same {
            Some(m) => Ok(Outcome::AlreadyThere {
                company_id: m.company_id,
            }),
            None => Err(SetupError::LoginTaken { login }),
        };
    }
    let admin = NewAdmin {
        login,
        full_name: full_name.to_string(),
        password_again: password.clone(),
        password,
    };
    match make_company(db, form, admin, false).await {
        Ok(Created::Made { company, admin }) => Ok(Outcome::Created {
            company_id: company.id,
            user_id: admin.id,
        }),
        // asked with only_first = false, the store never answers this; said plainly if it did
        Ok(Created::AlreadySetUp) => Err(SetupError::Invalid(
            app::errors::AppError::AlreadySetUp.text(Lang::Ru),
        )),
        Err(e) => Err(SetupError::Invalid(e.text(Lang::Ru))),
    }
}
