//! LoRa sessions (F25, EK 4.2.4): what the radio says of each LoRaWAN device — its last
//! packet, and how many packets were lost on the way (the packet error rate from the gaps in
//! the device's own packet numbers).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The packet error rate is worked out over this many days…
pub const PER_DAYS: i64 = 10;
/// …and at most this many of the latest packets.
pub const PER_PACKETS: usize = 2_000;
/// The packet log shows this many days (at most [`PER_PACKETS`] packets).
pub const LOG_DAYS: i64 = 5;

/// The share of packets lost, in % with one decimal, from the frame counters of the packets
/// received, oldest first: the numbers skipped between the first and the last over the
/// numbers that span. `None` with no packet, or when the counter went back (the device
/// joined the network again): the seed computes no PER across a reset.
pub fn packet_error_rate(counters: &[u32]) -> Option<Decimal> {
    let first = *counters.first()?;
    let mut last = first;
    let mut received: u64 = 1;
    for c in &counters[1..] {
        match c.cmp(&last) {
            std::cmp::Ordering::Less => return None,
            // the same packet twice (two gateways, a redelivery) counts once
            std::cmp::Ordering::Equal => {}
            std::cmp::Ordering::Greater => {
                received += 1;
                last = *c;
            }
        }
    }
    Some(rate(first, last, received))
}

/// The PER of a window whose counters run from `first` to `last` with `heard` distinct
/// ones received: the numbers never heard over the numbers the window spans, in %.
pub fn rate(first: u32, last: u32, heard: u64) -> Decimal {
    let span = u64::from(last.saturating_sub(first)) + 1;
    let lost = Decimal::from(span.saturating_sub(heard));
    one_decimal(lost * Decimal::ONE_HUNDRED / Decimal::from(span))
}

/// Rounded to one decimal and written with it: 30 % reads «30,0», as its neighbours.
fn one_decimal(d: Decimal) -> Decimal {
    let mut d = d.round_dp(1);
    d.rescale(1);
    d
}

/// The mean of whole numbers (RSSI, dBm) with one decimal; `None` when there are none.
pub fn mean_whole(values: impl Iterator<Item = i32>) -> Option<Decimal> {
    let (sum, n) = values.fold((0i64, 0i64), |(s, n), v| (s + i64::from(v), n + 1));
    (n > 0).then(|| one_decimal(Decimal::from(sum) / Decimal::from(n)))
}

/// The mean of decimals (SNR, dB) with one decimal.
pub fn mean(values: impl Iterator<Item = Decimal>) -> Option<Decimal> {
    let (sum, n) = values.fold((Decimal::ZERO, 0i64), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| one_decimal(sum / Decimal::from(n)))
}

/// One packet as the log shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoraPacket {
    /// dd.mm.yyyy hh:mm:ss in the building's time.
    pub received: String,
    /// The same instant in unix seconds, for sorting.
    pub received_at: i64,
    pub f_cnt: Option<u32>,
    /// The payload's template number («код функции»).
    pub f_port: Option<u8>,
    pub rssi: Option<i32>,
    pub snr: Option<Decimal>,
    pub gateway: String,
    /// The data rate (DR0–DR15), as the network server reported it.
    pub dr: Option<u8>,
    /// The raw payload in hex, before decoding.
    pub payload: String,
}

/// A meter on a device: «кв. 12», its resource and serial (a link to its card).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoraMeter {
    pub id: i64,
    pub place: String,
    pub resource: crate::models::Resource,
    pub serial: String,
}

/// A LoRaWAN device of the sessions page: its meters and its last packet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoraDevice {
    pub communicator_id: i64,
    pub dev_eui: String,
    pub object_id: Option<i64>,
    pub object: String,
    pub meters: Vec<LoraMeter>,
    pub last: Option<LoraPacket>,
    /// Over the last [`PER_DAYS`] days; `None` without packets or across a counter reset.
    pub per: Option<Decimal>,
    /// Packets in those days.
    pub packets: usize,
    /// Whether the counter went back in those days (then no PER).
    pub reset: bool,
}

/// The sessions page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LoraSessions {
    pub objects: Vec<(i64, String)>,
    pub object_id: Option<i64>,
    pub devices: Vec<LoraDevice>,
}

/// One device's packets of the last [`LOG_DAYS`] days, newest first, with their averages.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LoraLog {
    pub communicator_id: i64,
    pub dev_eui: String,
    pub packets: Vec<LoraPacket>,
    pub per: Option<Decimal>,
    pub rssi: Option<Decimal>,
    pub snr: Option<Decimal>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn no_gap_is_no_loss_and_one_packet_is_none_lost() {
        assert_eq!(packet_error_rate(&[10, 11, 12, 13]), Some(d("0")));
        assert_eq!(packet_error_rate(&[7]), Some(d("0")));
        assert_eq!(packet_error_rate(&[]), None);
    }

    #[test]
    fn gaps_in_the_counter_are_the_packets_lost() {
        // 1..=10 spans 10 numbers; 3, 4 and 8 never came: 30 %
        assert_eq!(packet_error_rate(&[1, 2, 5, 6, 7, 9, 10]), Some(d("30.0")));
        // 100..=102 spans 3, one missing: 33,3 %
        assert_eq!(packet_error_rate(&[100, 102]), Some(d("33.3")));
        // written with its decimal, as the page shows it
        assert_eq!(packet_error_rate(&[1, 2, 5, 6, 7, 9, 10]).unwrap().to_string(), "30.0");
        assert_eq!(packet_error_rate(&[1, 2]).unwrap().to_string(), "0.0");
    }

    #[test]
    fn a_packet_heard_twice_counts_once() {
        assert_eq!(packet_error_rate(&[1, 1, 2, 2, 4]), Some(d("25.0")));
    }

    #[test]
    fn no_rate_across_a_counter_reset() {
        assert_eq!(packet_error_rate(&[500, 501, 0, 1, 2]), None);
    }

    #[test]
    fn averages_keep_one_decimal_and_are_none_without_values() {
        assert_eq!(mean_whole([-97, -60, -80].into_iter()), Some(d("-79.0")));
        assert_eq!(mean_whole([-97, -60].into_iter()), Some(d("-78.5")));
        assert_eq!(mean([d("7.5"), d("3.25")].into_iter()), Some(d("5.4")));
        assert_eq!(mean(std::iter::empty()), None);
        assert_eq!(mean_whole(std::iter::empty()), None);
    }
}
