//! «LoRa-сеансы» (F25, EK 4.2.4): each LoRaWAN device with its meters and the parameters of
//! its last radio packet — time, function code, packet number, PER over ten days, SNR, RSSI,
//! gateway — and, for the device picked, its packets of the last five days with the raw
//! payload and their averages.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::components::error_view::ErrorBox;
use crate::components::export::csv_href;
use crate::components::layout::follow_selected_object;
use crate::components::picked::PickedPanel;
use crate::components::table::{all_words_in, shown_rows, Sort, SortTh};
use crate::functions::monitoring::{lora_devices, lora_packet_log};
use crate::i18n::{resource_name, use_i18n, Lang, Msg};
use crate::models::format::{decimal, integer};
use crate::models::lora::{LoraDevice, LoraLog, LoraPacket, LoraSessions};
use crate::resource::resource;

fn href(object: Option<i64>) -> String {
    match object {
        Some(o) => format!("/monitoring/lora?object={o}"),
        None => "/monitoring/lora".into(),
    }
}

#[component]
pub fn LoraPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let object = Memo::new(move |_| params.with(|m| m.get("object").and_then(|v| v.parse::<i64>().ok())));
    let data = resource(move || object.get(), lora_devices);
    follow_selected_object(move |id| href(Some(id)));
    view! {
        <Title text=i18n.tr(Msg::MenuLora)/>
        <section class="page lora-page">
            <h1>{i18n.tr(Msg::MenuLora)}</h1>
            <p class="lead">{i18n.tr(Msg::LoraLead)}</p>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(s) => view! { <Devices sessions=s/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Object,
    DevEui,
    Received,
    Per,
    Rssi,
}

fn compare(a: &LoraDevice, b: &LoraDevice, c: Col) -> std::cmp::Ordering {
    match c {
        Col::Object => a.object.cmp(&b.object),
        Col::DevEui => a.dev_eui.cmp(&b.dev_eui),
        Col::Received => a.last.as_ref().map(|p| p.received_at).cmp(&b.last.as_ref().map(|p| p.received_at)),
        Col::Per => a.per.cmp(&b.per),
        Col::Rssi => a.last.as_ref().and_then(|p| p.rssi).cmp(&b.last.as_ref().and_then(|p| p.rssi)),
    }
}

/// An optional figure as shown: «—» when there is none.
fn or_dash(v: Option<String>) -> String {
    v.unwrap_or_else(|| "—".into())
}

fn meters_text(d: &LoraDevice, lang: Lang) -> String {
    d.meters
        .iter()
        .map(|m| format!("{} {} № {}", m.place, resource_name(m.resource).text(lang), m.serial))
        .collect::<Vec<_>>()
        .join("; ")
}

fn device_rows(devices: &[LoraDevice], lang: Lang) -> Vec<Vec<String>> {
    let head = [
        Msg::NpObject, Msg::LoraMeters, Msg::LoraDevEui, Msg::LoraReceived, Msg::LoraPort, Msg::LoraCounter,
        Msg::LoraPer, Msg::LoraSnr, Msg::LoraRssi, Msg::LoraGateway, Msg::LoraDr,
    ];
    let mut rows = vec![head.iter().map(|m| m.text(lang).to_string()).collect::<Vec<_>>()];
    rows.extend(devices.iter().map(|d| {
        let p = d.last.as_ref();
        vec![
            d.object.clone(),
            meters_text(d, lang),
            d.dev_eui.clone(),
            p.map(|p| p.received.clone()).unwrap_or_default(),
            p.and_then(|p| p.f_port).map(|v| v.to_string()).unwrap_or_default(),
            p.and_then(|p| p.f_cnt).map(|v| v.to_string()).unwrap_or_default(),
            d.per.map(decimal).unwrap_or_default(),
            p.and_then(|p| p.snr).map(decimal).unwrap_or_default(),
            p.and_then(|p| p.rssi).map(|v| integer(v.into())).unwrap_or_default(),
            p.map(|p| p.gateway.clone()).unwrap_or_default(),
            p.and_then(|p| p.dr).map(|v| format!("DR{v}")).unwrap_or_default(),
        ]
    }));
    rows
}

#[component]
fn Devices(sessions: LoraSessions) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let object = sessions.object_id;
    let options = sessions
        .objects
        .iter()
        .map(|(id, name)| {
            let id = *id;
            view! { <option value=id.to_string() selected=object == Some(id)>{name.clone()}</option> }
        })
        .collect_view();
    let on_object = move |ev: leptos::ev::Event| navigate(&href(event_target_value(&ev).parse().ok()), Default::default());
    let total = sessions.devices.len();
    let devices = StoredValue::new(sessions.devices);
    let search = RwSignal::new(String::new());
    let sort = RwSignal::new(Sort { key: Col::Object, ascending: true });
    let picked = RwSignal::new(None::<i64>);
    let shown = Memo::new(move |_| {
        let q = search.get();
        let lang = i18n.lang();
        devices.with_value(|d| shown_rows(d, |d| all_words_in(&format!("{} {} {}", d.object, d.dev_eui, meters_text(d, lang)), &q), sort.get(), compare))
    });
    view! {
        <div class="toolbar">
            <label>{i18n.tr(Msg::NpObject)} " "
                <select data-testid="lora-object" on:change=on_object>
                    <option value="" selected=object.is_none()>{i18n.tr(Msg::NpAllObjects)}</option>
                    {options}
                </select>
            </label>
            <input type="search" class="search" bind:value=search placeholder=i18n.tr(Msg::LoraSearch) aria-label=i18n.tr(Msg::Search)/>
            <span class="count">{move || format!("{} {} / {}", i18n.t(Msg::Shown), shown.read().len(), total)}</span>
            <a class="button" download="lora.csv" href=move || csv_href(&device_rows(&shown.read(), i18n.lang()))>{i18n.tr(Msg::ExportCsv)}</a>
        </div>
        <div class="table-wrap">
            <table class="data lora-devices" data-testid="lora-devices">
                <thead>
                    <tr>
                        <SortTh label=Msg::NpObject key=Col::Object sort/>
                        <th>{i18n.tr(Msg::LoraMeters)}</th>
                        <SortTh label=Msg::LoraDevEui key=Col::DevEui sort/>
                        <SortTh label=Msg::LoraReceived key=Col::Received sort/>
                        <th class="num">{i18n.tr(Msg::LoraPort)}</th>
                        <th class="num">{i18n.tr(Msg::LoraCounter)}</th>
                        <SortTh label=Msg::LoraPer key=Col::Per sort numeric=true/>
                        <th class="num">{i18n.tr(Msg::LoraSnr)}</th>
                        <SortTh label=Msg::LoraRssi key=Col::Rssi sort numeric=true/>
                        <th>{i18n.tr(Msg::LoraGateway)}</th>
                        <th>{i18n.tr(Msg::LoraDr)}</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let v = shown.get();
                        if v.is_empty() {
                            let text = if total == 0 { Msg::LoraNone } else { Msg::NothingFound };
                            view! { <tr><td colspan="12" class="empty">{i18n.tr(text)}</td></tr> }.into_any()
                        } else {
                            v.into_iter().map(|d| view! { <DeviceLine device=d picked/> }).collect_view().into_any()
                        }
                    }}
                </tbody>
            </table>
        </div>
        <PickedPanel picked fetch=lora_packet_log prompt=Msg::LoraPick class="lora-log" testid="lora-packets" show=|log| view! { <Packets log/> }/>
    }
}

#[component]
fn DeviceLine(device: LoraDevice, picked: RwSignal<Option<i64>>) -> impl IntoView {
    let i18n = use_i18n();
    let id = device.communicator_id;
    let meters = device
        .meters
        .iter()
        .map(|m| {
            let (mid, place, r, serial) = (m.id, m.place.clone(), m.resource, m.serial.clone());
            view! { <div>{place} " " {move || i18n.t(resource_name(r))} " " <a href=format!("/meters/{mid}")>"№ " {serial}</a></div> }
        })
        .collect_view();
    let p = device.last.clone();
    let cell = |v: Option<String>| view! { <td class="num">{or_dash(v)}</td> };
    let per = match (device.per, device.reset) {
        (_, true) => view! { <td class="num warn-text" title=i18n.t(Msg::LoraResetHint)>{i18n.tr(Msg::LoraReset)}</td> }.into_any(),
        // one packet in ten lost is worth a look
        (Some(v), _) => {
            let class = if v >= rust_decimal::Decimal::from(10) { "num warn-text" } else { "num" };
            view! { <td class=class>{decimal(v)}</td> }.into_any()
        }
        (None, _) => view! { <td class="num">"—"</td> }.into_any(),
    };
    view! {
        <tr data-device=id data-eui=device.dev_eui.clone() class:picked=move || picked.get() == Some(id)>
            <td>{device.object.clone()}</td>
            <td class="lora-meters">{meters}</td>
            <td class="mono">{device.dev_eui.clone()}</td>
            <td>{match p.as_ref() {
                Some(p) => p.received.clone().into_any(),
                None => view! { <span class="muted">{i18n.tr(Msg::LoraNoPackets)}</span> }.into_any(),
            }}</td>
            {cell(p.as_ref().and_then(|p| p.f_port).map(|v| v.to_string()))}
            {cell(p.as_ref().and_then(|p| p.f_cnt).map(|v| v.to_string()))}
            {per}
            {cell(p.as_ref().and_then(|p| p.snr).map(decimal))}
            {cell(p.as_ref().and_then(|p| p.rssi).map(|v| integer(v.into())))}
            <td class="mono">{p.as_ref().map(|p| p.gateway.clone()).unwrap_or_default()}</td>
            <td>{p.as_ref().and_then(|p| p.dr).map(|v| format!("DR{v}")).unwrap_or_default()}</td>
            <td><button type="button" class="button small" data-testid="lora-log" on:click=move |_| picked.set(Some(id))>{i18n.tr(Msg::LoraPackets)}</button></td>
        </tr>
    }
}

/// The packets shown before «Показать все».
const FIRST: usize = 200;

fn packet_rows(packets: &[LoraPacket], lang: Lang) -> Vec<Vec<String>> {
    let head = [Msg::LoraReceived, Msg::LoraCounter, Msg::LoraPort, Msg::LoraRssi, Msg::LoraSnr, Msg::LoraGateway, Msg::LoraDr, Msg::LoraPayload];
    let mut rows = vec![head.iter().map(|m| m.text(lang).to_string()).collect::<Vec<_>>()];
    rows.extend(packets.iter().map(|p| {
        vec![
            p.received.clone(),
            p.f_cnt.map(|v| v.to_string()).unwrap_or_default(),
            p.f_port.map(|v| v.to_string()).unwrap_or_default(),
            p.rssi.map(|v| v.to_string()).unwrap_or_default(),
            p.snr.map(decimal).unwrap_or_default(),
            p.gateway.clone(),
            p.dr.map(|v| format!("DR{v}")).unwrap_or_default(),
            p.payload.clone(),
        ]
    }));
    rows
}

#[component]
fn Packets(log: LoraLog) -> impl IntoView {
    let i18n = use_i18n();
    let all = RwSignal::new(false);
    let total = log.packets.len();
    let averages = format!(
        "{}: PER {} %, SNR {} {}, RSSI {} {}",
        i18n.t(Msg::LoraAverages),
        or_dash(log.per.map(decimal)),
        or_dash(log.snr.map(decimal)),
        i18n.t(Msg::LoraDb),
        or_dash(log.rssi.map(decimal)),
        i18n.t(Msg::LoraDbm),
    );
    let title = Msg::LoraLogTitle.text(i18n.lang()).replace("{eui}", &log.dev_eui);
    let csv = csv_href(&packet_rows(&log.packets, i18n.lang()));
    let packets = StoredValue::new(log.packets);
    let rows = move || {
        let n = if all.get() { usize::MAX } else { FIRST };
        packets.with_value(|p| {
            p.iter()
                .take(n)
                .map(|p| {
                    view! {
                        <tr>
                            <td>{p.received.clone()}</td>
                            <td class="num">{or_dash(p.f_cnt.map(|v| v.to_string()))}</td>
                            <td class="num">{or_dash(p.f_port.map(|v| v.to_string()))}</td>
                            <td class="num">{or_dash(p.rssi.map(|v| integer(v.into())))}</td>
                            <td class="num">{or_dash(p.snr.map(decimal))}</td>
                            <td class="mono">{p.gateway.clone()}</td>
                            <td>{p.dr.map(|v| format!("DR{v}")).unwrap_or_default()}</td>
                            <td class="mono payload" title=p.payload.clone()>{p.payload.clone()}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <h2>{title}</h2>
        <p data-testid="lora-averages">{averages}</p>
        <div class="toolbar">
            <span class="count">{format!("{} {}", i18n.t(Msg::LoraPacketCount), integer(total as i64))}</span>
            <a class="button" download="lora-packets.csv" href=csv>{i18n.tr(Msg::ExportCsv)}</a>
            {(total > FIRST).then(|| view! {
                <button type="button" class="button" class:hidden=move || all.get() on:click=move |_| all.set(true)>{i18n.tr(Msg::ShowAll)}</button>
            })}
        </div>
        <div class="table-wrap">
            <table class="data lora-packets" data-testid="lora-packet-rows">
                <thead>
                    <tr>
                        <th>{i18n.tr(Msg::LoraReceived)}</th>
                        <th class="num">{i18n.tr(Msg::LoraCounter)}</th>
                        <th class="num">{i18n.tr(Msg::LoraPort)}</th>
                        <th class="num">{i18n.tr(Msg::LoraRssi)}</th>
                        <th class="num">{i18n.tr(Msg::LoraSnr)}</th>
                        <th>{i18n.tr(Msg::LoraGateway)}</th>
                        <th>{i18n.tr(Msg::LoraDr)}</th>
                        <th>{i18n.tr(Msg::LoraPayload)}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || if total == 0 {
                        view! { <tr><td colspan="8" class="empty">{i18n.tr(Msg::LoraLogEmpty)}</td></tr> }.into_any()
                    } else {
                        rows().into_any()
                    }}
                </tbody>
            </table>
        </div>
    }
}
