//! Resources a meter measures and where a meter sits (SPEC §1, EK table 1).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resource {
    Electricity,
    Heat,
    ColdWater,
    HotWater,
    Gas,
    Wastewater,
}

impl Resource {
    pub const ALL: [Resource; 6] = [
        Resource::Electricity,
        Resource::Heat,
        Resource::ColdWater,
        Resource::HotWater,
        Resource::Gas,
        Resource::Wastewater,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Resource::Electricity => "electricity",
            Resource::Heat => "heat",
            Resource::ColdWater => "cold_water",
            Resource::HotWater => "hot_water",
            Resource::Gas => "gas",
            Resource::Wastewater => "wastewater",
        }
    }

    pub fn parse(s: &str) -> Option<Resource> {
        Resource::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The quantity a meter of this resource counts on its main channel, and its unit.
    pub fn main_parameter(self) -> (&'static str, &'static str) {
        match self {
            Resource::Electricity => ("energy_a_plus", "kWh"),
            Resource::Heat => ("heat_energy", "Gcal"),
            _ => ("volume", "m3"),
        }
    }

    /// The unit readings of this resource are kept in.
    pub fn unit(self) -> &'static str {
        match self {
            Resource::Electricity => "kWh",
            Resource::Heat => "Gcal",
            _ => "m3",
        }
    }
}

/// Individual (ИПУ, in a premise) or common building meter (ОДПУ).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    Individual,
    Common,
}

impl Placement {
    pub fn as_str(self) -> &'static str {
        match self {
            Placement::Individual => "individual",
            Placement::Common => "common",
        }
    }
    pub fn parse(s: &str) -> Option<Placement> {
        match s {
            "individual" => Some(Placement::Individual),
            "common" => Some(Placement::Common),
            _ => None,
        }
    }
}

/// Life state of a meter; only `InOperation` meters are polled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeterState {
    Commissioning,
    InOperation,
    Verification,
    Repair,
    Retired,
}

impl MeterState {
    pub const ALL: [MeterState; 5] = [
        MeterState::Commissioning,
        MeterState::InOperation,
        MeterState::Verification,
        MeterState::Repair,
        MeterState::Retired,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            MeterState::Commissioning => "commissioning",
            MeterState::InOperation => "in_operation",
            MeterState::Verification => "verification",
            MeterState::Repair => "repair",
            MeterState::Retired => "retired",
        }
    }
    pub fn parse(s: &str) -> Option<MeterState> {
        MeterState::ALL.into_iter().find(|r| r.as_str() == s)
    }
}
