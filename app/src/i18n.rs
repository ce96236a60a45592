//! Russian first, English available. Every text the UI shows is a `Msg`, so a missing
//! translation is a compile error rather than a blank label.
//!
//! The language lives in the `uchet_lang` cookie: the server renders in it and the browser
//! hydrates in it, so both sides agree and the choice is remembered.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const LANG_COOKIE: &str = "uchet_lang";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Ru,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }
    pub fn parse(s: &str) -> Lang {
        if s.trim().eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Ru
        }
    }
    pub fn other(self) -> Lang {
        match self {
            Lang::Ru => Lang::En,
            Lang::En => Lang::Ru,
        }
    }
}

macro_rules! messages {
    ($($name:ident => $ru:literal, $en:literal;)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
        pub enum Msg { $($name),* }
        impl Msg {
            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$name, Lang::Ru) => $ru, (Msg::$name, Lang::En) => $en,)*
                }
            }
        }
    };
}

messages! {
    AppName => "Учёт", "Uchet";
    AppTagline => "АСКУЭ для управляющих компаний", "Metering for housing companies";
    SignIn => "Войти", "Sign in";
    SignInTitle => "Вход в систему", "Sign in";
    SignOut => "Выйти", "Sign out";
    Login => "Логин", "Login";
    Password => "Пароль", "Password";
    Company => "Организация", "Company";
    Building => "Дом", "Building";
    AllBuildings => "Все дома", "All buildings";
    Language => "English", "Русский";
    SectionAccounting => "Учёт", "Accounting";
    SectionMonitoring => "Мониторинг", "Monitoring";
    SectionReports => "Отчёты", "Reports";
    SectionBilling => "Биллинг", "Billing";
    SectionService => "Сервис", "Service";
    SectionSettings => "Настройки", "Settings";
    SectionField => "Обход", "Field work";
    SectionCabinet => "Личный кабинет", "My cabinet";
    MenuHome => "Главная", "Home";
    MenuObjects => "Объекты", "Objects";
    MenuReadings => "Показания", "Readings";
    MenuConsumption => "Потребление", "Consumption";
    MenuSubscribers => "Абоненты", "Subscribers";
    MenuFieldEntry => "Передача показаний по дому", "Readings by building";
    MenuManualEntry => "Ввод показаний", "Enter readings";
    MenuMap => "Карта приборов", "Meter map";
    MenuAbnormal => "Нештатные ситуации", "Abnormal situations";
    MenuEvents => "Журнал событий", "Event journal";
    MenuNotPolled => "Не опрашиваются", "Not polled";
    MenuPolling => "Опрос приборов", "Polling";
    MenuReports => "Отчёты", "Reports";
    MenuBillingExport => "Выгрузка в биллинг", "Billing export";
    MenuMeters => "Приборы учёта", "Meters";
    MenuVerification => "Поверка", "Verification";
    MenuCommunicators => "Коммуникаторы", "Communicators";
    MenuDispatch => "Диспетчерская", "Dispatch desk";
    MenuCompany => "Организация", "Company";
    MenuUsers => "Пользователи", "Users";
    MenuMyPremises => "Мои помещения", "My premises";
    MenuSubmitReadings => "Передать показания", "Submit readings";
    MenuRequests => "Вызов мастера", "Call a technician";
    MenuNotices => "Уведомления", "Notices";
    Soon => "в разработке", "in progress";
    RoleAdministrator => "Администратор", "Administrator";
    RoleDispatcher => "Диспетчер", "Dispatcher";
    RoleServiceEngineer => "Сервисный инженер", "Service engineer";
    RoleReader => "Только просмотр", "Read only";
    RoleFieldStaff => "Контролёр", "Field staff";
    RoleResident => "Житель", "Resident";
    Loading => "Загрузка…", "Loading…";
    Search => "Поиск", "Search";
    SearchObjects => "Улица, дом, название", "Street, house, name";
    ExportCsv => "Скачать CSV", "Download CSV";
    Total => "Всего", "Total";
    Shown => "Показано", "Shown";
    Name => "Наименование", "Name";
    Address => "Адрес", "Address";
    City => "Город", "City";
    TimeZone => "Часовой пояс", "Time zone";
    Premises => "Помещений", "Premises";
    Meters => "Приборов учёта", "Meters";
    Residents => "Проживает", "Residents";
    Area => "Площадь, м²", "Area, m²";
    ObjectsTitle => "Объекты", "Objects";
    NothingFound => "Ничего не найдено", "Nothing found";
    HomeTitle => "Главная", "Home";
    DashConsumption => "Расход ресурсов", "Resource consumption";
    DashForMonth => "За месяц", "Month";
    DashForYear => "За год", "Year";
    DashForDate => "За дату", "Date";
    DashChart => "Диаграмма", "Chart";
    DashTable => "Таблица", "Table";
    DashGrouped => "Колонки с группировкой", "Grouped columns";
    DashStacked => "Колонки", "Columns";
    DashLines => "Линии", "Lines";
    DashAreas => "Области", "Areas";
    DashPeriod => "Период", "Period";
    DashSavePdf => "Сохранить в PDF", "Save as PDF";
    DashOnlyWholeDays => "Учитываются только полные сутки, без общедомовых (балансовых) приборов.", "Only whole days count; common (balance) meters are left out.";
    DashCountedTill => "Учтены сутки", "Days counted";
    DashNothingYet => "За этот период ещё нет полных суток.", "This period has no whole day yet.";
    DashMetersHeard => "данные за последние сутки по", "last day's data from";
    DashOf => "из", "of";
    DashGaps => "* не все приборы передали данные за все сутки", "* not every meter reported every day";
    DashPending => "Идёт пересчёт расхода, цифры обновятся; ожидают приборов:", "Consumption is being recomputed, figures will update; meters waiting:";
    DashCommon => "Общедомовые приборы (ОДПУ), не входят в расход выше", "Common meters (not in the figures above)";
    DashChartResource => "Ресурс на диаграмме", "Resource charted";
    UnitKwh => "кВт·ч", "kWh";
    UnitGcal => "Гкал", "Gcal";
    UnitM3 => "м³", "m³";
    Objects => "Объектов", "Objects";
    IndividualMeters => "ИПУ", "Individual meters";
    CommonMeters => "ОДПУ", "Common meters";
    HeardLastDay => "На связи за сутки", "Heard from in 24 h";
    SilentMeters => "Молчат дольше 3 суток", "Silent over 3 days";
    ResElectricity => "Электроэнергия", "Electricity";
    ResHeat => "Тепло", "Heat";
    ResColdWater => "ХВС", "Cold water";
    ResHotWater => "ГВС", "Hot water";
    ResGas => "Газ", "Gas";
    ResWastewater => "Водоотведение", "Wastewater";
    UsersTitle => "Пользователи", "Users";
    FullName => "ФИО", "Full name";
    Role => "Роль", "Role";
    State => "Состояние", "State";
    LastSignIn => "Последний вход", "Last sign-in";
    Active => "Активен", "Active";
    Blocked => "Заблокирован", "Blocked";
    Block => "Заблокировать", "Block";
    Unblock => "Разблокировать", "Unblock";
    NewUser => "Новый пользователь", "New user";
    Create => "Создать", "Create";
    Created => "Пользователь создан", "User created";
    Never => "никогда", "never";
    CompanyTitle => "Карточка организации", "Company card";
    Inn => "ИНН", "INN";
    Kpp => "КПП", "KPP";
    Ogrn => "ОГРН", "OGRN";
    LegalAddress => "Юридический адрес", "Legal address";
    ActualAddress => "Фактический адрес", "Actual address";
    Phone => "Телефон", "Phone";
    Email => "Эл. почта", "Email";
    WorkingHours => "Часы работы", "Working hours";
    Cities => "Города", "Cities";
    MyPremisesTitle => "Мои помещения", "My premises";
    Flat => "кв.", "flat";
    Account => "Лицевой счёт", "Account";
    Serial => "Зав. №", "Serial No.";
    Model => "Модель", "Model";
    Tariffs => "Тарифов", "Tariffs";
    NextVerification => "Следующая поверка", "Next verification";
    NoPremises => "К вашей учётной записи пока не привязано ни одного помещения.", "No premises are attached to your account yet.";
    NotFoundTitle => "Страница не найдена", "Page not found";
    NotFoundText => "Такой страницы нет. Проверьте адрес или вернитесь на главную.", "There is no such page. Check the address or go home.";
    GoHome => "На главную", "Go home";
    ErrorTitle => "Ошибка", "Error";
    ErrNotSignedIn => "Вы не вошли в систему или сеанс истёк. Войдите снова.", "You are not signed in or the session expired. Please sign in again.";
    ErrForbidden => "Недостаточно прав для этого действия.", "You are not allowed to do this.";
    ErrNotFound => "Запись не найдена.", "Not found.";
    ErrSignInFailed => "Неверный логин или пароль.", "Wrong login or password.";
    ErrBlocked => "Учётная запись заблокирована. Обратитесь к администратору.", "This account is blocked. Contact your administrator.";
    ErrNoCompany => "Учётная запись не привязана ни к одной организации.", "This account belongs to no company.";
    ErrTooManyAttempts => "Слишком много неудачных попыток. Повторите через", "Too many failed attempts. Try again in";
    Seconds => "с", "s";
    ErrInternal => "Внутренняя ошибка сервера. Попробуйте позже.", "Internal server error. Please try later.";
    ErrNetwork => "Нет связи с сервером", "No connection to the server";
    ErrRequired => "обязательное поле", "is required";
    ErrTooShort => "слишком короткое значение", "is too short";
    ErrAlreadyExists => "уже занято", "is already taken";
    ErrBadFormat => "неверный формат", "has a wrong format";
    EntryEmpty => "Значение не введено", "No value entered";
    EntryNotANumber => "Это не число: только цифры и одна запятая", "Not a number: digits and one comma only";
    EntryTooManyInteger => "Больше знаков, чем у прибора: целых не более", "More digits than the meter has: integer digits at most";
    EntryTooManyFraction => "Больше знаков, чем у прибора: после запятой не более", "More digits than the meter has: fraction digits at most";
    EntryNoSuchTariff => "У прибора нет такого тарифа", "The meter has no such tariff";
    EntryUnknownMeter => "Прибор не найден или выведен из эксплуатации", "Meter not found or retired";
    EntryBadId => "Повторите отправку: запись повреждена", "Send again: the entry is damaged";
    EntryTitle => "Ввод показаний", "Enter readings";
    EntryAccountPrompt => "Номер лицевого счёта", "Personal account number";
    EntryFind => "Найти", "Find";
    EntryPrevious => "Предыдущее", "Previous";
    EntryExpected => "Предполагаемое показание от", "Expected reading as of";
    EntryClear => "Очистить", "Clear";
    EntrySend => "Сохранить и отправить", "Save and send";
    EntrySaved => "Показания сохранены", "Readings saved";
    EntryDuplicate => "уже было сохранено", "was saved already";
    EntryFlagged => "Показание меньше предыдущего или слишком большое — отмечено для проверки", "Lower than the previous reading or too large — flagged for checking";
    EntryNothing => "Введите хотя бы одно показание", "Enter at least one reading";
    EntryNoMeters => "У помещения нет действующих приборов учёта", "The premise has no meters in operation";
    ErrTooLong => "слишком много за один раз", "too much at once";
    Offline => "Нет сети — показаны сохранённые данные", "Offline — showing saved data";
    FieldFindBuilding => "Улица и номер дома", "Street and house number";
    FieldSaveOffline => "Сохранить для работы без сети", "Keep for offline work";
    FieldSavedOffline => "Сохранено на устройстве", "Kept on this device";
    FieldChangeBuilding => "Сменить дом", "Another building";
    FieldLastOpened => "Последний открытый дом", "Last opened building";
    FieldFilter => "Квартира или № прибора", "Flat or meter number";
    FieldFlat => "кв.", "flat";
    FieldCommon => "Общедомовые приборы", "Common meters";
    FieldSerial => "зав. №", "serial";
    FieldDigits => "значность", "digits";
    FieldPrevColumn => "Предыдущее показание", "Previous reading";
    FieldFilled => "Заполнено", "Filled";
    FieldOf => "из", "of";
    FieldSend => "Отправить", "Send";
    FieldNotAllFilled => "Не все поля заполнены. Вернуться к заполнению?", "Not all fields are filled. Go back to filling them?";
    FieldBack => "Вернуться", "Go back";
    FieldSendAnyway => "Отправить", "Send anyway";
    FieldQueued => "Показания сохранены на устройстве и отправляются", "Readings are kept on the device and being sent";
    FieldAccepted => "Принято сервером", "Accepted by the server";
    FieldAlready => "уже были приняты", "already accepted";
    FieldFlaggedCount => "отмечено для проверки", "flagged for checking";
    FieldOfflineCopy => "Нет сети — данные дома с устройства, от", "Offline — the building's data from this device, as of";
    FieldNoMeters => "В доме нет действующих приборов учёта", "The building has no meters in operation";
    FieldReady => "Доступно без сети", "Available offline";
    FieldNoBuildings => "Ни один дом не найден", "No building found";
    FieldKeepFailed => "Не удалось сохранить на устройстве", "Could not keep on this device";
    SyncWaiting => "Ждут отправки", "Waiting to be sent";
    SyncNothingWaiting => "Все показания отправлены", "Everything is sent";
    SyncLastOk => "Последняя отправка:", "Last sent:";
    SyncSending => "Отправка…", "Sending…";
    SyncDeviceProblem => "Ошибка хранилища устройства", "Device storage error";
    SyncNow => "Отправить сейчас", "Send now";
    NoNetwork => "Нет сети", "No network";
    ReadingsTitle => "Показания приборов учёта", "Meter readings";
    Date => "Дата", "Date";
    MeterType => "Прибор учёта", "Meter";
    Kind => "Тип", "Type";
    KindAll => "Все", "All";
    KindFlats => "Квартирные", "Flats";
    KindCommon => "Общедомовые", "Common";
    ResWater => "Вода", "Water";
    ColFlat => "№ кв", "Flat";
    ColAccount => "Номер лицевого счёта", "Account number";
    ColMeter => "Номер прибора", "Meter number";
    ColCode => "Код идентификатора", "Identifier code";
    ColValue => "Текущие показания", "Current reading";
    ColValueDate => "Дата показаний", "Reading date";
    ColTariff => "Тариф", "Tariff";
    TariffN => "Тариф", "Tariff";
    SearchReadings => "Лицевой счёт, № прибора или квартира", "Account, meter number or flat";
    Show => "Показать", "Show";
    ExportXlsx => "Скачать Excel", "Download Excel";
    PerPage => "Строк на странице", "Rows per page";
    Columns => "Колонки", "Columns";
    PrevPage => "Назад", "Previous";
    NextPage => "Вперёд", "Next";
    NoReading => "нет данных", "no data";
    WentDown => "Показание меньше предыдущего", "Reading went down";
    ReadingsAsOf => "Показания на конец дня", "Readings at the end of";
    MetersShown => "приборов", "meters";
    Page => "Страница", "Page";
    CommonMeter => "ОДПУ", "Common meter";
    MeterTitle => "Прибор учёта", "Meter";
    Consumption => "Потребление", "Consumption";
    ConsumptionByDay => "Потребление по дням", "Consumption by day";
    Month => "Месяц", "Month";
    PrevMonth => "Предыдущий месяц", "Previous month";
    NextMonth => "Следующий месяц", "Next month";
    MonthTotal => "Итого за месяц", "Month total";
    Capacity => "Значность", "Digit capacity";
    Multiplier => "Коэффициент", "Multiplier";
    Installed => "Установлен", "Installed";
    Verified => "Поверен", "Verified";
    LastContact => "Последняя связь", "Last contact";
    Replaces => "Заменил прибор", "Replaced meter";
    Unit => "Ед. изм.", "Unit";
    ReadingsOfMonth => "Показания за месяц", "Readings of the month";
    Source => "Источник", "Source";
    EnteredBy => "Кто ввёл", "Entered by";
    Check => "Проверка", "Check";
    Confirm => "Подтвердить", "Confirm";
    Reject => "Отклонить", "Reject";
    Rejected => "отклонено", "rejected";
    WaitsConfirmation => "ждёт подтверждения", "waits for confirmation";
    Time => "Время", "Time";
    GapNote => "«–*» — нет архива за период, «1,77*» — архив есть не за весь период. Пропуски не досчитываются.", "“–*” — no archive for the period; “1,77*” — the archive covers only part of it. Gaps are never filled in.";
    SrcPoll => "опрос", "poll";
    SrcLora => "LoRaWAN", "LoRaWAN";
    SrcDispatcher => "диспетчер", "dispatcher";
    SrcFieldStaff => "контролёр", "field staff";
    SrcResident => "житель", "resident";
    SrcEstimate => "расчёт", "estimate";
    SrcImport => "импорт", "import";
    StateCommissioning => "Ввод в эксплуатацию", "Commissioning";
    StateInOperation => "В работе", "In operation";
    StateUnderVerification => "На поверке", "Under verification";
    StateRepair => "В ремонте", "Under repair";
    StateRetired => "Выведен из эксплуатации", "Retired";
    PollingTitle => "Опрос приборов", "Meter polling";
    PollNext => "Следующий опрос", "Next poll";
    PollTotal => "Приборов на опросе", "Meters polled automatically";
    PollOk => "Опрошено", "Polled";
    PollFailed => "Не опрошено", "Not polled";
    PollRunning => "Идёт опрос", "Polling";
    PollQueued => "Опрос в очереди", "Poll queued";
    PollLast => "Последний опрос", "Last poll";
    PollWaiting => "Ожидание, с", "Waiting, s";
    PollBuilding => "Опросить дом", "Poll the building";
    PollMeter => "Опросить", "Poll";
    PollOf => "из", "of";
    PollAsked => "Опрос поставлен в очередь", "Poll queued";
    PollNoDevices => "В этой категории нет приборов на линиях связи.", "No meters on communication lines in this category.";
    CatElFlats => "Электроэнергия, квартиры", "Electricity, flats";
    CatElCommon => "Электроэнергия, ОДПУ", "Electricity, common";
    CatHwFlats => "Тепло и вода, квартиры", "Heat and water, flats";
    CatHwCommon => "Тепло и вода, ОДПУ", "Heat and water, common";
    ColPlace => "Место", "Place";
    ColLine => "Линия связи", "Line";
    ColBusAddress => "Сетевой адрес", "Bus address";
    ColTotal => "Сумма", "Total";
    ColChanged => "Изменено", "Changed";
    ColPolled => "Опрошено", "Polled";
    ColState => "Состояние", "State";
    PollAnswered => "ответил", "answered";
    PollNotRead => "не опрашивается", "not read automatically";
    NpTitle => "Не опрашиваются", "Not polled";
    TermTab => "Терминал", "Terminal";
    TermMeter => "Прибор", "Meter";
    TermLead => "Обмен с прибором при последнем опросе: что отправлено (→) и что получено (←), байты в шестнадцатеричном виде.", "The exchange with the meter at its last poll: sent (→) and received (←), bytes in hex.";
    TermEmpty => "Прибор ещё не опрашивался.", "The meter has not been polled yet.";
    TermDirection => "Направление", "Direction";
    TermBytes => "Байты", "Bytes";
    TermNoMeters => "В доме нет приборов, опрашиваемых по линиям связи.", "No meters in the building are polled over a line.";
    NpLead => "Приборы на линиях связи, которые не ответили при последнем опросе или давно не выходили на связь.", "Meters on communication lines that did not answer their latest poll or have been silent for a while.";
    NpDays => "Без связи более, дней", "Silent for more than, days";
    NpAllObjects => "Все дома", "All buildings";
    NpObject => "Дом", "Building";
    NpResource => "Ресурс", "Resource";
    NpDaysSilent => "Дней без связи", "Days silent";
    NpWhy => "Причина", "Reason";
    NpNoAnswer => "не ответил при опросе", "did not answer the poll";
    NpQuiet => "нет связи", "silent";
    NpNever => "ни разу не выходил на связь", "never heard from";
    NpNone => "Все приборы на линиях связи выходили на связь.", "Every meter on a line has been heard from.";
    NpSearch => "Дом, квартира, № прибора, модель", "Building, flat, meter number, model";
}

/// The current language, shared by every component.
#[derive(Clone, Copy)]
pub struct I18n(pub RwSignal<Lang>);

impl I18n {
    /// Reads the language cookie (request header on the server, `document.cookie` in the
    /// browser) and puts the signal into context.
    pub fn provide() -> I18n {
        let i18n = I18n(RwSignal::new(
            crate::prefs::read_cookie(LANG_COOKIE)
                .map(|v| Lang::parse(&v))
                .unwrap_or_default(),
        ));
        provide_context(i18n);
        i18n
    }
    pub fn lang(self) -> Lang {
        self.0.get()
    }
    pub fn t(self, msg: Msg) -> &'static str {
        msg.text(self.0.get())
    }
    /// Switches the language and remembers it for a year.
    pub fn set(self, lang: Lang) {
        crate::prefs::write_cookie(LANG_COOKIE, lang.code(), 365 * 24 * 3600);
        self.0.set(lang);
    }
}

pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n(RwSignal::new(Lang::Ru)))
}

/// The Russian and English names of a role.
pub fn role_name(role: crate::models::Role) -> Msg {
    use crate::models::Role::*;
    match role {
        Administrator => Msg::RoleAdministrator,
        Dispatcher => Msg::RoleDispatcher,
        ServiceEngineer => Msg::RoleServiceEngineer,
        Reader => Msg::RoleReader,
        FieldStaff => Msg::RoleFieldStaff,
        Resident => Msg::RoleResident,
    }
}

pub fn resource_name(resource: crate::models::Resource) -> Msg {
    use crate::models::Resource::*;
    match resource {
        Electricity => Msg::ResElectricity,
        Heat => Msg::ResHeat,
        ColdWater => Msg::ResColdWater,
        HotWater => Msg::ResHotWater,
        Gas => Msg::ResGas,
        Wastewater => Msg::ResWastewater,
    }
}

/// A month as a period's name: «ноябрь 2026», "November 2026".
pub fn month_year(lang: Lang, d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    const RU: [&str; 12] = [
        "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
        "октябрь", "ноябрь", "декабрь",
    ];
    const EN: [&str; 12] = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ];
    let names = if lang == Lang::Ru { RU } else { EN };
    format!("{} {}", names[d.month0() as usize], d.year())
}

pub fn unit_name(resource: crate::models::Resource) -> Msg {
    match resource.unit() {
        "kWh" => Msg::UnitKwh,
        "Gcal" => Msg::UnitGcal,
        _ => Msg::UnitM3,
    }
}

pub fn state_name(state: crate::models::MeterState) -> Msg {
    use crate::models::MeterState::*;
    match state {
        Commissioning => Msg::StateCommissioning,
        InOperation => Msg::StateInOperation,
        Verification => Msg::StateUnderVerification,
        Repair => Msg::StateRepair,
        Retired => Msg::StateRetired,
    }
}

/// A reading's source as stored (`poll`, `field_staff`…), in words.
pub fn source_name(source: &str) -> Msg {
    match source {
        "poll" => Msg::SrcPoll,
        "lora" => Msg::SrcLora,
        "dispatcher" => Msg::SrcDispatcher,
        "field_staff" => Msg::SrcFieldStaff,
        "resident" => Msg::SrcResident,
        "estimate" => Msg::SrcEstimate,
        _ => Msg::SrcImport,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_language_codes_fall_back_to_russian() {
        assert_eq!(Lang::parse("en"), Lang::En);
        assert_eq!(Lang::parse("EN"), Lang::En);
        assert_eq!(Lang::parse("de"), Lang::Ru);
        assert_eq!(Msg::SignIn.text(Lang::Ru), "Войти");
        assert_eq!(Msg::SignIn.text(Lang::En), "Sign in");
    }
}
