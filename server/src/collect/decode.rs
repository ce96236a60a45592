//! `server decode`: a frame as hex in, its records as JSON out, through the very functions
//! the collector decodes with, so what an engineer sees is what the collector stores.

use serde_json::{json, Value};

use super::protocol::{mbus, mercury};

/// Bytes from hex written any usual way: `68 4D 4D`, `684d4d`, `0x68,0x4D`, `68:4D`.
pub fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
    let cleaned: String = text
        .replace("0x", "")
        .replace("0X", "")
        .chars()
        .filter(|c| !matches!(c, ' ' | ',' | ':' | '\n' | '\r' | '\t' | '-'))
        .collect();
    hex::decode(&cleaned).map_err(|e| format!("not hex: {e}"))
}

/// Decodes an M-Bus long frame.
pub fn mbus_frame(frame: &[u8]) -> Result<Value, String> {
    let reply = mbus::decode_reply(frame, None).map_err(|e| e.to_string())?;
    Ok(json!({ "protocol": "mbus", "reply": reply }))
}

/// Decodes a Mercury reply to the request it answers.
pub fn mercury_reply(request: &[u8], reply: &[u8]) -> Result<Value, String> {
    if request.len() < 4 || !mercury::crc_ok(request) {
        return Err("the request is not a Mercury frame (length or CRC)".into());
    }
    let address = request[0];
    let expected = mercury::expected_reply_len(request).ok_or_else(|| {
        format!(
            "request command {:#04X} is not one the collector sends",
            request[1]
        )
    })?;
    let data = mercury::check_reply(address, reply, expected).map_err(|e| e.to_string())?;
    let what = match request[1] {
        0x05 => {
            let array = mercury::EnergyArray::from_byte(request[2])
                .ok_or_else(|| format!("unknown energy array {:#04X}", request[2]))?;
            let tariff = request[3];
            let energy = mercury::decode_energy(data).map_err(|e| e.to_string())?;
            json!({
                "command": "energy",
                "array": array,
                "tariff": tariff,
                "records": energy.measurements(tariff),
            })
        }
        0x08 => {
            json!({ "command": "serial", "serial": mercury::decode_serial(data).map_err(|e| e.to_string())? })
        }
        c => json!({ "command": format!("{c:#04X}"), "status": "OK" }),
    };
    Ok(json!({ "protocol": "mercury", "address": address, "reply": what }))
}

/// The `decode` command: `mbus HEX` or `mercury REQUEST_HEX REPLY_HEX`.
pub fn run(args: &[String]) -> Result<Value, String> {
    match args {
        [kind, frame] if kind == "mbus" => mbus_frame(&parse_hex(frame)?),
        [kind, request, reply] if kind == "mercury" => {
            mercury_reply(&parse_hex(request)?, &parse_hex(reply)?)
        }
        _ => Err(
            "usage: server decode mbus HEX | server decode mercury REQUEST_HEX REPLY_HEX".into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_published_mercury_vector_decodes_to_json() {
        let v = run(&[
            "mercury".into(),
            "01 05 00 00 11 D9".into(),
            "01 01 00 40 E2 FF FF FF FF 00 00 D2 1E FF FF FF FF 77 32".into(),
        ])
        .unwrap();
        let records = &v["reply"]["records"];
        assert_eq!(records[0]["quantity"], "energy_a_plus");
        assert_eq!(records[0]["value"], "123.456");
        assert_eq!(records[0]["unit"], "kWh");
        assert_eq!(records[1]["quantity"], "energy_r_plus");
        assert_eq!(records[1]["value"], "7.89");
    }

    #[test]
    fn a_status_reply_is_an_error_with_its_reason() {
        let e = run(&[
            "mercury".into(),
            "01 05 00 00 11 D9".into(),
            "01 05 C0 23".into(),
        ])
        .unwrap_err();
        assert!(e.contains("channel not open"), "{e}");
    }

    #[test]
    fn hex_is_read_in_every_usual_spelling() {
        assert_eq!(
            parse_hex("0x68, 0x4D:4d 68").unwrap(),
            vec![0x68, 0x4D, 0x4D, 0x68]
        );
        assert!(parse_hex("6").is_err());
        assert!(run(&["x".into()]).is_err());
    }
}
