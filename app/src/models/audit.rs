//! The history of users' actions (F42): who did what, when and from where, as the
//! administrator reads it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::i18n::Msg;

/// Most lines one view shows; narrower filters reach older ones.
pub const AUDIT_LIMIT: i64 = 2_000;

/// The filters of the journal.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    pub user: Option<i64>,
    pub action: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl AuditQuery {
    pub fn from_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> AuditQuery {
        let mut q = AuditQuery::default();
        for (k, v) in pairs {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            match k {
                "user" => q.user = v.parse().ok(),
                "action" => q.action = Some(v.to_string()),
                "from" => q.from = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok(),
                "to" => q.to = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok(),
                _ => {}
            }
        }
        q
    }

    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(u) = self.user {
            parts.push(format!("user={u}"));
        }
        if let Some(a) = &self.action {
            parts.push(format!("action={}", super::format::url_encode(a)));
        }
        if let Some(d) = self.from {
            parts.push(format!("from={}", d.format("%Y-%m-%d")));
        }
        if let Some(d) = self.to {
            parts.push(format!("to={}", d.format("%Y-%m-%d")));
        }
        parts.join("&")
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditRow {
    /// `dd.mm.yyyy HH:MM:SS`, Moscow time.
    pub at: String,
    pub user: String,
    pub login: String,
    pub action: String,
    pub details: String,
    pub ip: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditView {
    pub rows: Vec<AuditRow>,
    /// The company's people, to filter by.
    pub users: Vec<(i64, String)>,
    /// More lines matched than are shown.
    pub truncated: bool,
}

/// Every action the log records, in the order the filter offers them.
pub const ACTIONS: &[&str] = &[
    "sign_in",
    "sign_in_failed",
    "sign_out",
    "switch_company",
    "create_user",
    "block_user",
    "unblock_user",
    "reading.confirm",
    "reading.reject",
    "poll.manual",
    "device.save",
    "device.remove",
    "create_codes",
    "invite_resident",
    "activate_premise",
    "save_notice",
    "publish_notice",
    "unpublish_notice",
    "save_period_terms",
    "save_request_limits",
    "save_object_norms",
    "run_billing_export",
    "save_billing_schedule",
    "api_token.create",
    "api_token.revoke",
    "api.read",
    "api.write",
    "meter.create",
    "meter.edit",
    "meter.retire",
    "alert.subscribe",
    "alert.pause",
    "alert.resume",
    "alert.delete",
    "alert.unsubscribe",
    "deviation.rules",
    "communicator.create",
    "communicator.edit",
    "communicator.delete",
    "user.role",
    "user.add",
    "premise.range",
    "premise.create",
    "premise.edit",
    "premise.delete",
    "season.set",
    "season.undo",
];

/// An action in words; an unknown one (from a newer version) shows as stored.
pub fn action_name(action: &str) -> Option<Msg> {
    Some(match action {
        "sign_in" => Msg::AuSignIn,
        "sign_in_failed" => Msg::AuSignInFailed,
        "sign_out" => Msg::AuSignOut,
        "switch_company" => Msg::AuSwitchCompany,
        "create_user" => Msg::AuCreateUser,
        "block_user" => Msg::AuBlockUser,
        "unblock_user" => Msg::AuUnblockUser,
        "reading.confirm" => Msg::AuReadingConfirm,
        "reading.reject" => Msg::AuReadingReject,
        "poll.manual" => Msg::AuPollManual,
        "device.save" => Msg::AuDeviceSave,
        "device.remove" => Msg::AuDeviceRemove,
        "create_codes" => Msg::AuCreateCodes,
        "invite_resident" => Msg::AuInviteResident,
        "activate_premise" => Msg::AuActivatePremise,
        "save_notice" => Msg::AuSaveNotice,
        "publish_notice" => Msg::AuPublishNotice,
        "unpublish_notice" => Msg::AuUnpublishNotice,
        "save_period_terms" => Msg::AuSavePeriodTerms,
        "save_request_limits" => Msg::AuSaveRequestLimits,
        "save_object_norms" => Msg::AuSaveObjectNorms,
        "run_billing_export" => Msg::AuRunBillingExport,
        "save_billing_schedule" => Msg::AuSaveBillingSchedule,
        "api_token.create" => Msg::AuApiTokenCreate,
        "api_token.revoke" => Msg::AuApiTokenRevoke,
        "api.read" => Msg::AuApiRead,
        "api.write" => Msg::AuApiWrite,
        "event.resolve" => Msg::AuEventResolve,
        "balance.group.save" => Msg::AuBalanceGroupSave,
        "balance.group.create" => Msg::AuBalanceGroupCreate,
        "balance.group.delete" => Msg::AuBalanceGroupDelete,
        "meter.create" => Msg::AuMeterCreate,
        "meter.edit" => Msg::AuMeterEdit,
        "meter.retire" => Msg::AuMeterRetire,
        "alert.subscribe" => Msg::AuAlertSubscribe,
        "alert.pause" => Msg::AuAlertPause,
        "alert.resume" => Msg::AuAlertResume,
        "alert.delete" => Msg::AuAlertDelete,
        "alert.unsubscribe" => Msg::AuAlertUnsubscribe,
        "deviation.rules" => Msg::AuDeviationRules,
        "communicator.create" => Msg::AuCommunicatorCreate,
        "communicator.edit" => Msg::AuCommunicatorEdit,
        "communicator.delete" => Msg::AuCommunicatorDelete,
        "user.role" => Msg::AuUserRole,
        "user.add" => Msg::AuUserAdd,
        "premise.range" => Msg::AuPremiseRange,
        "premise.create" => Msg::AuPremiseCreate,
        "premise.edit" => Msg::AuPremiseEdit,
        "premise.delete" => Msg::AuPremiseDelete,
        "season.set" => Msg::AuSeasonSet,
        "season.undo" => Msg::AuSeasonUndo,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_recorded_action_has_words_and_the_query_reads_back() {
        for a in ACTIONS {
            assert!(action_name(a).is_some(), "{a}");
        }
        assert_eq!(action_name("something_new"), None);
        let q = AuditQuery {
            user: Some(3),
            action: Some("reading.reject".into()),
            from: NaiveDate::from_ymd_opt(2026, 11, 1),
            to: NaiveDate::from_ymd_opt(2026, 11, 30),
        };
        let back = AuditQuery::from_pairs(q.to_query().split('&').filter_map(|p| p.split_once('=')));
        assert_eq!(back, q);
    }
}
