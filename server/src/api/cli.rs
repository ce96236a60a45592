//! `server api-token …`: tokens for scripted installs, made the same way as on the settings
//! page (`app::auth::api_token::issue`).

use app::models::api::ApiScope;
use app::models::format::date_time;
use app::storage::{api_token, audit, company, Db};

pub enum Action {
    Create { company: i64, name: String, scope: String },
    List { company: i64 },
    Revoke { company: i64, id: i64 },
}


pub async fn run(db: &Db, action: Action) -> Result<(), Box<dyn std::error::Error>> {
    let company_of = |id: i64| async move {
        company::get(db, id).await.map_err(|_| format!("организации с id {id} нет"))
    };
    match action {
        Action::Create { company, name, scope } => {
            company_of(company).await?;
            let scope = ApiScope::parse(&scope).ok_or_else(|| format!("права «{scope}»: read или write"))?;
            let made = app::auth::api_token::issue(db, company, &name, scope, None)
                .await
                .map_err(|e| e.text(app::i18n::Lang::Ru))?;
            let details = format!("«{}», {} (командой server api-token)", made.row.name, scope.as_str());
            audit::create(db, Some(company), None, "api_token.create", &details, "").await?;
            eprintln!("токен «{}» (id {}) создан; он показан один раз и нигде не хранится:", made.row.name, made.row.id);
            println!("{}", made.token);
        }
        Action::List { company } => {
            company_of(company).await?;
            for t in api_token::list(db, company).await? {
                let state = match t.revoked_at {
                    Some(at) => format!("отозван {}", date_time(at)),
                    None => "действует".into(),
                };
                let used = t.last_used_at.map(date_time).unwrap_or_else(|| "не использовался".into());
                println!("{}\t{}\t{}\t{}…\t{state}\t{used}", t.id, t.name, t.scope.as_str(), t.hint);
            }
        }
        Action::Revoke { company, id } => {
            company_of(company).await?;
            let t = api_token::get(db, company, id).await.map_err(|_| format!("в организации {company} нет токена {id}"))?;
            if t.revoked_at.is_some() {
                println!("токен «{}» уже отозван; ничего не изменено", t.name);
            } else {
                api_token::revoke(db, company, id).await?;
                audit::create(db, Some(company), None, "api_token.revoke", &format!("«{}» (командой server api-token)", t.name), "").await?;
                println!("токен «{}» отозван", t.name);
            }
        }
    }
    Ok(())
}
