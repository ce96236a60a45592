//! Roles (SPEC F40) and what each may do. Every server function asks for one permission;
//! this table is the only place that decides which role has it.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Users and company settings only.
    Administrator,
    /// Data and most services.
    Dispatcher,
    /// Meter procedures.
    ServiceEngineer,
    /// Sees everything a dispatcher sees, changes nothing.
    Reader,
    /// Enters readings building by building.
    FieldStaff,
    /// A flat's owner or tenant.
    Resident,
}

/// What a server function needs from its caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Permission {
    /// List the company's buildings and their premises.
    ViewObjects,
    /// Readings, consumption, monitoring, reports.
    ViewData,
    /// Change the company's data (objects, meters, readings corrections).
    EditData,
    /// Create, edit and archive buildings, premises and meters: the master data an
    /// administrator brings in on the first day and a dispatcher keeps current.
    ManageObjects,
    /// Type readings in (field entry, dispatcher entry).
    EnterReadings,
    /// Meter service procedures.
    ServiceMeters,
    /// Create, block and assign users.
    ManageUsers,
    /// See the company card.
    ViewCompany,
    /// Change the company card and norms.
    ManageCompany,
    /// A resident's own premises and nothing else.
    OwnPremises,
    /// Answer residents' requests: reply, assign, move through the stages.
    HandleRequests,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Administrator,
        Role::Dispatcher,
        Role::ServiceEngineer,
        Role::Reader,
        Role::FieldStaff,
        Role::Resident,
    ];

    /// The permission table.
    pub fn allows(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Administrator => matches!(
                permission,
                ViewObjects | ManageObjects | ManageUsers | ViewCompany | ManageCompany
            ),
            Role::Dispatcher => matches!(
                permission,
                ViewObjects
                    | ViewData
                    | EditData
                    | ManageObjects
                    | EnterReadings
                    | ServiceMeters
                    | ViewCompany
                    | HandleRequests
            ),
            Role::ServiceEngineer => matches!(
                permission,
                ViewObjects | ViewData | ServiceMeters | ViewCompany | HandleRequests
            ),
            Role::Reader => matches!(permission, ViewObjects | ViewData | ViewCompany),
            Role::FieldStaff => matches!(permission, ViewObjects | EnterReadings),
            Role::Resident => matches!(permission, OwnPremises),
        }
    }

    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::Dispatcher => "dispatcher",
            Role::ServiceEngineer => "service_engineer",
            Role::Reader => "reader",
            Role::FieldStaff => "field_staff",
            Role::Resident => "resident",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_may_change_nothing() {
        for p in [
            Permission::EditData,
            Permission::ManageObjects,
            Permission::EnterReadings,
            Permission::ServiceMeters,
            Permission::ManageUsers,
            Permission::ManageCompany,
            Permission::HandleRequests,
        ] {
            assert!(!Role::Reader.allows(p), "reader must not have {p:?}");
        }
        assert!(Role::Reader.allows(Permission::ViewData));
    }

    #[test]
    fn an_administrator_manages_users_but_not_readings() {
        assert!(Role::Administrator.allows(Permission::ManageUsers));
        assert!(!Role::Administrator.allows(Permission::ViewData));
        assert!(!Role::Administrator.allows(Permission::EnterReadings));
    }

    #[test]
    fn a_resident_reaches_only_own_premises() {
        let allowed: Vec<_> = [
            Permission::ViewObjects,
            Permission::ViewData,
            Permission::EditData,
            Permission::EnterReadings,
            Permission::ServiceMeters,
            Permission::ManageUsers,
            Permission::ViewCompany,
            Permission::ManageCompany,
            Permission::OwnPremises,
            Permission::HandleRequests,
        ]
        .into_iter()
        .filter(|p| Role::Resident.allows(*p))
        .collect();
        assert_eq!(allowed, vec![Permission::OwnPremises]);
    }

    #[test]
    fn role_names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
