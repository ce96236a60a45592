//! «Карточка дома» (F41, F1): a building's address, ФИАС code, figures and its poll schedule —
//! time of day, days of the week, on or off — created, edited and archived by an
//! administrator or a dispatcher, read by the rest of the staff. `/objects/new` makes one.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::components::error_view::{ActionError, ErrorBox};
use crate::functions::objects::{archive_object, get_object, save_object};
use crate::i18n::{use_i18n, Msg};
use crate::models::building::{BuildingForm, TIME_ZONES, WEEKDAYS};
use crate::models::views::BuildingCard;
use crate::resource::resource;

#[component]
pub fn BuildingPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok())));
    let card = resource(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_object(id).await,
                None => Ok(BuildingCard {
                    id: 0,
                    form: BuildingForm::default(),
                    archived: false,
                    editable: true,
                }),
            }
        },
    );
    view! {
        <Title text=i18n.tr(Msg::BuildingCardTitle)/>
        <section class="page narrow-wide">
            <p class="muted small"><a href="/objects">{i18n.tr(Msg::ObjectsTitle)}</a></p>
            <Suspense fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match card.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(c) => view! { <BuildingEditor card=c/> }.into_any(),
                    }
                })}
            </Suspense>
            // beside the card, not inside it: a Suspense inside the card's own does not
            // hydrate after a full page load
            {move || id.get().map(|id| view! { <crate::routes::building_norms::BuildingNorms object=id/> })}
        </section>
    }
}

/// The card's form; saving a new building goes on to its own address.
#[component]
fn BuildingEditor(card: BuildingCard) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let id = (card.id > 0).then_some(card.id);
    let form = RwSignal::new(card.form.clone());
    let archived = RwSignal::new(card.archived);
    let editable = card.editable;
    let save = Action::new(move |f: &BuildingForm| {
        let f = f.clone();
        async move { save_object(id, f).await }
    });
    let archive = Action::new(move |to: &bool| {
        let to = *to;
        async move { archive_object(id.unwrap_or(0), to).await.map(|_| to) }
    });
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            if id.is_none() {
                navigate(&format!("/objects/{saved}?saved=1"), Default::default());
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(to)) = archive.value().get() {
            archived.set(to);
        }
    });
    let title = if id.is_some() { card.form.address.clone() } else { i18n.t(Msg::NewBuilding).to_string() };
    // a building just made arrives here from /objects/new with ?saved=1
    let query = use_query_map();
    let just_made = query.with_untracked(|q| q.get("saved").is_some());
    let saved = move || matches!(save.value().get(), Some(Ok(_))) || (just_made && save.value().get().is_none());
    let text = move |label: Msg, get: fn(&BuildingForm) -> &String, set: fn(&mut BuildingForm, String), testid: &'static str| {
        view! {
            <label>
                <span>{i18n.tr(label)}</span>
                <input type="text" data-testid=testid disabled=!editable
                    prop:value=move || form.with(|f| get(f).clone())
                    on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))/>
            </label>
        }
    };
    let flag = move |label: Msg, get: fn(&BuildingForm) -> bool, set: fn(&mut BuildingForm, bool), testid: &'static str| {
        view! {
            <label class="check">
                <input type="checkbox" data-testid=testid disabled=!editable
                    prop:checked=move || form.with(get)
                    on:change=move |ev| form.update(|f| set(f, event_target_checked(&ev)))/>
                <span>{i18n.tr(label)}</span>
            </label>
        }
    };
    let days = WEEKDAYS
        .into_iter()
        .map(|(digit, name)| {
            let on = move || form.with(|f| f.poll_days.contains(digit));
            view! {
                <label class="day">
                    <input type="checkbox" data-testid=format!("day-{digit}") disabled=!editable prop:checked=on
                        on:change=move |ev| {
                            let checked = event_target_checked(&ev);
                            form.update(|f| {
                                let mut d: Vec<char> = f.poll_days.chars().filter(|c| *c != digit).collect();
                                if checked {
                                    d.push(digit);
                                }
                                d.sort_unstable();
                                f.poll_days = d.into_iter().collect();
                            })
                        }/>
                    <span>{i18n.tr(name)}</span>
                </label>
            }
        })
        .collect_view();
    let zones = TIME_ZONES
        .into_iter()
        .map(|(zone, name)| view! { <option value=zone selected=move || form.with(|f| f.time_zone == zone)>{name}</option> })
        .collect_view();
    view! {
        <h1 data-testid="building-title">{title}
            <Show when=move || archived.get()>
                " " <span class="badge muted">{i18n.tr(Msg::InArchive)}</span>
            </Show>
        </h1>
        <Show when=move || archived.get()>
            <p class="muted" role="status">{i18n.tr(Msg::BuildingArchivedNote)}</p>
        </Show>
        {id.map(|id| view! {
            <p class="building-links">
                <a href=format!("/balance?object={id}") data-testid="building-consumption">{i18n.tr(Msg::ConBuildingLink)}</a>
                " · "
                <a href=format!("/consumption?object={id}")>{i18n.tr(Msg::ConRegistry)}</a>
                " · "
                <a href=format!("/service/meters?object={id}") data-testid="building-meters">{i18n.tr(Msg::ConTabMeters)}</a>
                " · "
                <a href=format!("/objects/{id}/premises") data-testid="building-premises">{i18n.tr(Msg::PrTitle)}</a>
                " · "
                <a href=format!("/service/communicators?object={id}") data-testid="building-communicators">{i18n.tr(Msg::MenuCommunicators)}</a>
            </p>
        })}
        <form class="building-form" data-testid="building-form" on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(form.get_untracked());
        }>
            <fieldset class="panel form-grid">
                <legend>{i18n.tr(Msg::BuildingCardTitle)}</legend>
                {text(Msg::Address, |f| &f.address, |f, v| f.address = v, "address")}
                {text(Msg::Name, |f| &f.name, |f, v| f.name = v, "name")}
                {text(Msg::FiasCode, |f| &f.fias_code, |f, v| f.fias_code = v, "fias")}
                {flag(Msg::UnderConstruction, |f| f.under_construction, |f, v| f.under_construction = v, "under-construction")}
                {text(Msg::Latitude, |f| &f.latitude, |f, v| f.latitude = v, "latitude")}
                {text(Msg::Longitude, |f| &f.longitude, |f, v| f.longitude = v, "longitude")}
                {text(Msg::AreaM2, |f| &f.total_area, |f, v| f.total_area = v, "area")}
                {text(Msg::ResidentsCount, |f| &f.residents, |f, v| f.residents = v, "residents")}
                {text(Msg::Floors, |f| &f.floors, |f, v| f.floors = v, "floors")}
                {text(Msg::Entrances, |f| &f.entrances, |f, v| f.entrances = v, "entrances")}
                <label>
                    <span>{i18n.tr(Msg::TimeZone)}</span>
                    <select data-testid="time-zone" disabled=!editable on:change=move |ev| form.update(|f| f.time_zone = event_target_value(&ev))>
                        {zones}
                    </select>
                </label>
                {text(Msg::WeatherStation, |f| &f.weather_station, |f, v| f.weather_station = v, "weather-station")}
                {match id {
                    // a new building's season starts today when ticked; after that it changes
                    // on «Сезон» only, where its rules and history are
                    None => flag(Msg::HeatingSeason, |f| f.heating_season, |f, v| f.heating_season = v, "heating").into_any(),
                    Some(_) => view! {
                        <p class="season-of-building" data-testid="heating">
                            <span>{i18n.tr(Msg::SeOfBuilding)} ": "</span>
                            <strong>{move || i18n.t(if form.with(|f| f.heating_season) { Msg::SeOn } else { Msg::SeOff })}</strong>
                            " · " <a href="/service/season">{i18n.tr(Msg::MenuSeason)}</a>
                        </p>
                    }.into_any(),
                }}
            </fieldset>
            <fieldset class="panel form-grid">
                <legend>{i18n.tr(Msg::PollSchedule)}</legend>
                {flag(Msg::PollEnabled, |f| f.poll_enabled, |f, v| f.poll_enabled = v, "poll-enabled")}
                <label>
                    <span>{i18n.tr(Msg::PollTime)}</span>
                    <input type="time" data-testid="poll-time" disabled=!editable
                        prop:value=move || form.with(|f| f.poll_time.clone())
                        on:input=move |ev| form.update(|f| f.poll_time = event_target_value(&ev))/>
                </label>
                <div class="days" role="group" aria-label=i18n.tr(Msg::PollDays)>
                    <span>{i18n.tr(Msg::PollDays)}</span>
                    {days}
                </div>
            </fieldset>
            <ActionError value=save.value()/>
            <ActionError value=Signal::derive(move || archive.value().get().map(|r| r.map(|_| ())))/>
            <Show when=saved>
                <p class="ok" role="status" data-testid="building-saved">{i18n.tr(Msg::BuildingSaved)}</p>
            </Show>
            <Show when=move || editable>
                <div class="toolbar">
                    <button type="submit" class="button primary" data-testid="save" disabled=move || save.pending().get()>
                        {i18n.tr(Msg::Save)}
                    </button>
                    {id.map(|_| view! {
                        <button type="button" class="button" data-testid="archive"
                            on:click=move |_| { archive.dispatch(!archived.get_untracked()); }>
                            {move || if archived.get() { i18n.t(Msg::FromArchive) } else { i18n.t(Msg::ToArchive) }}
                        </button>
                    })}
                </div>
            </Show>
        </form>
    }
}
