//! The history of users' actions as a file: every line under the journal's filters.

use super::Sheet;
use crate::i18n::{Lang, Msg};
use crate::models::audit::{action_name, AuditView};

pub fn sheet(view: &AuditView, lang: Lang) -> Sheet {
    let t = |m: Msg| m.text(lang).to_string();
    Sheet {
        name: t(Msg::MenuAudit),
        title: vec![t(Msg::MenuAudit)],
        header: vec![
            t(Msg::AuAt),
            t(Msg::FullName),
            t(Msg::Login),
            t(Msg::AuAction),
            t(Msg::AuDetails),
            t(Msg::AuIp),
        ],
        widths: vec![20.0, 30.0, 20.0, 30.0, 40.0, 16.0],
        rows: view
            .rows
            .iter()
            .map(|r| {
                let action = action_name(&r.action)
                    .map(|m| t(m))
                    .unwrap_or_else(|| r.action.clone());
                vec![
                    r.at.clone().into(),
                    r.user.clone().into(),
                    r.login.clone().into(),
                    action.into(),
                    r.details.clone().into(),
                    r.ip.clone().into(),
                ]
            })
            .collect(),
    }
}
