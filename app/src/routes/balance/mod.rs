//! Balance (issue 24): the balance page, the balance groups editor and objects compared.

pub mod compare;
pub mod groups;
pub mod page;

use leptos::prelude::*;

pub(crate) use crate::components::day_or_month::resource_options;
use crate::i18n::{use_i18n, Msg};
use crate::models::balance::GroupChoice;

/// The options of a group picker: the building's own group first, by the page's words.
fn group_options(groups: &[GroupChoice], chosen: Option<i64>) -> impl IntoView {
    let i18n = use_i18n();
    groups
        .iter()
        .map(|g| {
            let name = match g.id {
                Some(_) => g.name.clone(),
                None => i18n.t(Msg::BalOwnGroup).to_string(),
            };
            view! { <option value=g.id.map(|i| i.to_string()).unwrap_or_default() selected=g.id == chosen>{name}</option> }
        })
        .collect_view()
}
