-- «Коммуникаторы» (issue 22, point 7; F32): what a line needs besides its address. A GPRS
-- modem's SIM (IMSI, phone number; the ICCID is older), a serial port's parity (empty: the
-- line's usual one, 8N1 for RS-485 and 8E1 for M-Bus), and a LoRaWAN device's field map
-- (empty: the map of its meter's model).
ALTER TABLE communicators ADD COLUMN imsi TEXT NOT NULL DEFAULT '';
ALTER TABLE communicators ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE communicators ADD COLUMN parity TEXT NOT NULL DEFAULT '';
ALTER TABLE communicators ADD COLUMN field_map TEXT NOT NULL DEFAULT '';
