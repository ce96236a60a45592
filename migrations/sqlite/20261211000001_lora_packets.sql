-- LoRa sessions (issue 23, point 8; F25): the radio side of each LoRaWAN uplink — when the
-- network server got it, the device's frame counter, the port («код функции»), the best
-- gateway's signal, the data rate and the raw payload — kept ten days for the sessions page
-- (last packet, packet error rate from counter gaps, the packet log).
CREATE TABLE lora_packets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    communicator_id INTEGER NOT NULL REFERENCES communicators(id) ON DELETE CASCADE,
    received_at INTEGER NOT NULL,
    f_cnt INTEGER,
    f_port INTEGER,
    rssi INTEGER,
    -- dB as text: the gateway's figure as it came
    snr TEXT,
    gateway TEXT NOT NULL DEFAULT '',
    dr INTEGER,
    -- hex, before decoding
    payload TEXT NOT NULL DEFAULT '',
    -- ChirpStack's deduplicationId: an uplink redelivered by the broker is kept once
    dedup TEXT NOT NULL DEFAULT ''
);
CREATE INDEX lora_packets_device ON lora_packets (communicator_id, received_at);
CREATE INDEX lora_packets_company ON lora_packets (company_id, received_at);
CREATE UNIQUE INDEX lora_packets_once ON lora_packets (communicator_id, dedup) WHERE dedup <> '';
