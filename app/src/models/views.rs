//! What server functions return to pages. Plain data, serializable both ways.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::{Resource, Role};

/// Who is signed in, where, and what they may pick in the top bar.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionView {
    pub user_id: i64,
    pub login: String,
    pub full_name: String,
    pub role: Role,
    pub company_id: i64,
    pub company_name: String,
    pub companies: Vec<CompanyChoice>,
    pub objects: Vec<ObjectChoice>,
}

/// Who is signed in and where, without the pickers' lists: the field screen's light frame
/// shows no pickers, and a phone's first load need not decode them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignedInUser {
    pub user_id: i64,
    pub full_name: String,
    pub role: Role,
    pub company_name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompanyChoice {
    pub id: i64,
    pub name: String,
    pub role: Role,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObjectChoice {
    pub id: i64,
    pub name: String,
}

/// A building in the objects list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObjectRow {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub city: String,
    pub time_zone: String,
    pub premises: i64,
    pub meters: i64,
    pub residents: i64,
    pub total_area: String,
    pub archived: bool,
}

/// One building's card as its form shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BuildingCard {
    pub id: i64,
    pub form: crate::models::building::BuildingForm,
    pub archived: bool,
    /// The caller may change it.
    pub editable: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i64,
    pub login: String,
    pub full_name: String,
    pub role: Role,
    pub blocked: bool,
    pub last_sign_in: Option<NaiveDateTime>,
    /// The caller: their own role and block stay as they are.
    #[serde(default)]
    pub me: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompanyView {
    pub id: i64,
    pub card: crate::models::company::CompanyForm,
    pub cities: Vec<String>,
    /// The caller may change the card (an administrator).
    pub editable: bool,
}

/// Figures for the dispatcher's first screen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SummaryView {
    pub objects: i64,
    pub premises: i64,
    pub meters_individual: i64,
    pub meters_common: i64,
    pub meters_by_resource: Vec<(Resource, i64)>,
    pub meters_heard_last_day: i64,
    pub silent_meters: i64,
    pub silent_days: i64,
}
