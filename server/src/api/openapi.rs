//! The OpenAPI 3.1 document of `/api/v1`, made from the handlers' annotations and types:
//! `GET /api/v1/openapi.json`.

use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{billing, buildings, consumption, meters, problem, readings};

/// Tokens are sent as `Authorization: Bearer uchet_…`.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("uchet_…")
                    .description(Some("Токен API: «Настройки → Доступ по API» или `server api-token create`"))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Учёт — открытый API",
        version = "1",
        description = "Данные управляющей компании для 1С и других систем: дома, помещения и лицевые счета, \
приборы учёта, показания (чтение и передача), расход за месяц, выгрузки в биллинг.\n\n\
Каждый запрос предъявляет токен API (`Authorization: Bearer …`) и видит только данные компании токена. \
Темп запросов ограничен для каждого токена (100 сразу, затем 50 в секунду; сверх — 429 с `Retry-After`). \
Каждый запрос записывается в журнал действий компании.\n\n\
Показания и расход — десятичные строки (`\"12345.678\"`), без потери точности. \
Ошибки — RFC 9457 (`application/problem+json`) на русском, на английском при `Accept-Language: en`."
    ),
    servers((url = "/api/v1")),
    paths(
        buildings::list,
        buildings::premises,
        meters::list,
        readings::list,
        readings::post,
        consumption::month,
        billing::runs,
        billing::file,
    ),
    components(schemas(problem::Problem)),
    modifiers(&BearerToken),
    tags(
        (name = "buildings", description = "Дома, помещения и лицевые счета"),
        (name = "meters", description = "Приборы учёта"),
        (name = "readings", description = "Показания: чтение и передача"),
        (name = "consumption", description = "Расход за месяц"),
        (name = "billing", description = "Выгрузки в биллинг"),
    )
)]
pub struct ApiDoc;

/// The document as JSON, made once: it is the code's, and the code does not change while
/// the server runs.
pub fn json() -> &'static serde_json::Value {
    static DOC: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    DOC.get_or_init(|| serde_json::to_value(ApiDoc::openapi()).unwrap_or_default())
}

/// The paths in the order the document declares them.
pub fn path_order() -> Vec<String> {
    ApiDoc::openapi().paths.paths.keys().cloned().collect()
}

pub async fn document() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], json().to_string())
}
