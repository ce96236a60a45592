//! From an M-Bus meter's status byte to events: the header of every reply says whether the
//! meter's battery (or supply) is low and whether it has an error. Each is an event of
//! source «meter» open while the meter says so, one per meter and kind however many polls
//! repeat it, and ended by the first reply that no longer says so.

use app::models::monitoring::{EventKind, EventSource, EventValues};
use app::storage::event::NewEvent;
use app::storage::poll_target::PollTarget;

use super::protocol::mbus::status::{PERMANENT_ERROR, POWER_LOW, TEMPORARY_ERROR};

/// The conditions a status byte reports on or off, each with the words for it.
pub fn conditions(status: u8) -> [(EventKind, bool); 2] {
    [
        (EventKind::BatteryLow, status & POWER_LOW != 0),
        (EventKind::MeterError, status & (PERMANENT_ERROR | TEMPORARY_ERROR) != 0),
    ]
}

/// The status byte as a dispatcher reads it: «слово состояния 0x18: постоянная ошибка,
/// временная ошибка».
pub fn describe(status: u8) -> String {
    let mut said = Vec::new();
    if status & POWER_LOW != 0 {
        said.push("низкое питание");
    }
    if status & PERMANENT_ERROR != 0 {
        said.push("постоянная ошибка");
    }
    if status & TEMPORARY_ERROR != 0 {
        said.push("временная ошибка");
    }
    format!("слово состояния 0x{status:02X}: {}", said.join(", "))
}

/// The events the status opens now (storage keeps one open per meter and kind) and the
/// kinds it ends.
pub fn events(t: &PollTarget, status: u8, at: i64) -> (Vec<NewEvent>, Vec<&'static str>) {
    let mut open = Vec::new();
    let mut ended = Vec::new();
    for (kind, on) in conditions(status) {
        if !on {
            ended.push(kind.as_str());
            continue;
        }
        let values = EventValues { message: Some(describe(status)), ..Default::default() };
        open.push(NewEvent {
            company_id: t.company_id,
            object_id: t.object_id,
            meter_id: Some(t.meter_id),
            channel_id: None,
            kind: kind.as_str(),
            severity: kind.severity().as_str(),
            source: EventSource::Meter.as_str(),
            started_at: at,
            details: serde_json::to_string(&values).unwrap_or_else(|_| "{}".into()),
        });
    }
    (open, ended)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_bits_name_their_conditions() {
        assert_eq!(conditions(0), [(EventKind::BatteryLow, false), (EventKind::MeterError, false)]);
        assert_eq!(conditions(0x04), [(EventKind::BatteryLow, true), (EventKind::MeterError, false)]);
        assert_eq!(conditions(0x10), [(EventKind::BatteryLow, false), (EventKind::MeterError, true)]);
        // the counter's coding bits and the manufacturer's are no condition of ours
        assert_eq!(conditions(0xE3), [(EventKind::BatteryLow, false), (EventKind::MeterError, false)]);
        assert_eq!(describe(0x18), "слово состояния 0x18: постоянная ошибка, временная ошибка");
    }
}
