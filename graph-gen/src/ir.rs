//! The typed, serde-serialisable model of a docs tree: what every later stage reads.
//!
//! The JSON form of [`Ir`] is a contract with tools outside this repository: field names
//! here are never renamed, only added to.

mod template;
mod type_ref;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub(crate) use template::join_colon_segments;
pub use template::{Method, PathTemplate, Piece, Segment};
pub use type_ref::TypeRef;

use crate::diagnostics::Diagnostic;

/// Everything graph-gen learned from a docs tree.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ir {
    /// Request operations, one per HTTP template group of an API page, sorted by source.
    pub operations: Vec<Operation>,
    /// Models (entity and complex types), sorted by version then name.
    pub models: Vec<Model>,
    /// Enumeration types, sorted by version then name.
    #[serde(default)]
    pub enums: Vec<EnumType>,
    /// Every problem found, errors and warnings, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// Every file read to build this IR (pages and includes), shown like `Source::file`,
    /// for rebuild tracking.
    #[serde(default)]
    pub inputs: Vec<String>,
    /// Every page read, with what it was read as.
    #[serde(default)]
    pub pages: Vec<PageInfo>,
}

/// A page of the docs tree and what it was read as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageInfo {
    /// The page, shown like [`Source::file`].
    pub file: String,
    /// What the page is.
    pub kind: PageKind,
}

/// What a page is, from its front matter `doc_type` (or, lacking one, its sections).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageKind {
    /// `apiPageType`: one or more requests.
    Api,
    /// `resourcePageType`: a type's properties.
    Resource,
    /// `enumPageType`: enumerations.
    Enum,
    /// Anything else (conceptual pages), not read further.
    Other,
}

impl Ir {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The model with this qualified name in this API version.
    pub fn model(&self, version: ApiVersion, name: &str) -> Option<&Model> {
        self.models
            .iter()
            .find(|model| model.version == version && model.name.eq_ignore_ascii_case(name))
    }
}

/// Where an IR node came from: a docs file (as displayed to users) and a 1-based line.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Source {
    /// The page path, relative to the directory the docs root was named from.
    pub file: String,
    /// 1-based line number.
    pub line: u32,
}

impl Source {
    /// A source location.
    pub fn new(file: impl Into<String>, line: u32) -> Self {
        Source {
            file: file.into(),
            line,
        }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// A Microsoft Graph API version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ApiVersion {
    /// `v1.0`, the stable surface.
    #[serde(rename = "v1.0")]
    V1,
    /// `beta`, the preview surface.
    #[serde(rename = "beta")]
    Beta,
}

impl ApiVersion {
    /// The version as it appears in URLs and docs folders (`v1.0`, `beta`).
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1.0",
            ApiVersion::Beta => "beta",
        }
    }

    /// Parses a URL segment or folder name.
    pub fn from_segment(segment: &str) -> Option<Self> {
        match segment {
            "v1.0" => Some(ApiVersion::V1),
            "beta" => Some(ApiVersion::Beta),
            _ => None,
        }
    }
}

/// One documented request: an API page's HTTP templates with everything the page says of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// The operation as the H1 names it (`reprocessLicenseAssignment`).
    pub name: String,
    /// The resource the H1 names before the colon (`user`), if any.
    pub resource: Option<String>,
    /// The H1 as written (`user: reprocessLicenseAssignment`).
    pub title: String,
    /// The page and the line of its H1.
    pub source: Source,
    /// `beta` or `v1.0`.
    pub version: ApiVersion,
    /// `Namespace:` line (`microsoft.graph`), if present.
    pub namespace: Option<String>,
    /// The page's description, as markdown.
    pub description: String,
    /// The HTTP templates of the page's HTTP request section(s).
    pub http: Vec<HttpTemplate>,
    /// Permissions per account type; `null` when the page gives none that could be read.
    pub permissions: Option<Permissions>,
    /// Entra roles and role permission named for delegated work or school calls.
    pub roles: Option<Roles>,
    /// The national-cloud include named by the page (`all-clouds`), if any.
    pub national_clouds: Option<String>,
    /// The request headers table.
    pub request_headers: Vec<RequestHeader>,
    /// OData query options the page documents (`$select`, `$filter`, …), in canonical order.
    #[serde(default)]
    pub query_options: Vec<String>,
    /// What the request body carries.
    pub request_body: RequestBody,
    /// The documented success response.
    pub response: Option<Response>,
    /// The page's examples, in page order.
    pub examples: Vec<Example>,
}

/// One `METHOD path` line of an HTTP request section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpTemplate {
    /// The HTTP method (upper case in JSON).
    pub method: Method,
    /// The path as normalised (leading `/`, no host, no version), placeholders as `{name}`
    /// with the unique parameter names; a string in JSON.
    pub path: PathTemplate,
    /// The path as written on the page.
    pub raw: String,
    /// Path parameters in order of appearance, with unique names.
    pub parameters: Vec<PathParameter>,
    /// Query string pairs written in the template (`?startDateTime={start}`).
    #[serde(default)]
    pub query: Vec<QueryParameter>,
    /// The line of the template.
    pub source: Source,
}

/// A `key=value` pair of a template's query string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryParameter {
    /// The key as written (`startDateTime`, `$filter`).
    pub key: String,
    /// The value as written (`{start}`, `true`).
    pub value: String,
    /// The unique parameter name when the value is a placeholder (shared with path parameters).
    pub parameter: Option<String>,
}

/// A placeholder in an HTTP template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathParameter {
    /// Unique name within the template (`id`, `id2` when a placeholder repeats).
    pub name: String,
    /// The placeholder text as written, without braces (`id | userPrincipalName`).
    pub placeholder: String,
}

/// Permissions per account type. `None` for an account type means "not supported".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permissions {
    /// Delegated (work or school account).
    pub delegated_work: Option<PermissionSet>,
    /// Delegated (personal Microsoft account).
    pub delegated_personal: Option<PermissionSet>,
    /// Application.
    pub application: Option<PermissionSet>,
    /// The table the permissions were read from (the include, for 2024 pages).
    pub source: Source,
    /// Per-resource rows of tables keyed by resource (`attachment-get.md`: event, message,
    /// post). The fields above then hold, per account type, every resource's scopes: the
    /// least privileged of each resource in `least`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_resource: Vec<ResourcePermissions>,
}

/// The permissions of one row of a table keyed by resource.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourcePermissions {
    /// The resource the row names (`event`, `chatMessage (/chats/{id}/messages)`).
    pub resource: String,
    /// Delegated (work or school account).
    pub delegated_work: Option<PermissionSet>,
    /// Delegated (personal Microsoft account).
    pub delegated_personal: Option<PermissionSet>,
    /// Application.
    pub application: Option<PermissionSet>,
}

/// Scopes for one account type, least privileged first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionSet {
    /// The least privileged permissions, flattened: every scope name of the least privileged
    /// alternatives.
    pub least: Vec<String>,
    /// Higher privileged permissions that also allow the call, flattened likewise.
    pub higher: Vec<String>,
    /// What the cells say, structured: any one alternative allows the call, and each needs all
    /// of its scopes (`A AND B`), under its condition if it has one. Least privileged first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<ScopeAlternative>,
    /// Notes written in the cells (`Directory.AccessAsUser.All cannot be used …`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// One way to be allowed a call: all of `scopes` together.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeAlternative {
    /// Scope names, all needed.
    pub scopes: Vec<String>,
    /// When this alternative applies (`Global collection`, from `for Global collection: …`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// Whether the docs list it as least privileged.
    pub least_privileged: bool,
}

/// Entra roles a signed-in work or school user needs for delegated calls.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roles {
    /// Role names (`User Administrator`), as listed.
    pub roles: Vec<String>,
    /// The role permission a custom role needs (`microsoft.directory/users/…`).
    pub role_permission: Option<String>,
    /// Where the roles are listed.
    pub source: Source,
}

/// A row of the request headers table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestHeader {
    /// Header name (`Authorization`).
    pub name: String,
    /// Documented value, HTML entities decoded, without the `Required.`/`Optional.` marker.
    pub value: String,
    /// Whether the docs mark it required.
    pub required: bool,
    /// The table row.
    pub source: Source,
}

/// What an operation's request body carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RequestBody {
    /// The page says not to supply a body (or has no request body section).
    None,
    /// A parameters/properties table.
    Parameters {
        /// The table rows.
        parameters: Vec<BodyParameter>,
    },
    /// A JSON representation of a resource.
    Json {
        /// The resource type, if the page links one (`microsoft.graph.user`).
        #[serde(rename = "type")]
        type_name: Option<String>,
    },
}

/// A row of a request body parameters table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyParameter {
    /// JSON name.
    pub name: String,
    /// OData type name.
    #[serde(rename = "type")]
    pub type_name: String,
    /// Whether the type is a collection.
    pub collection: bool,
    /// Whether the docs mark it required.
    pub required: bool,
    /// Description, as markdown.
    pub description: String,
    /// The table row.
    pub source: Source,
}

impl BodyParameter {
    /// The parameter's type.
    pub fn type_ref(&self) -> TypeRef<'_> {
        TypeRef::of(&self.type_name, self.collection)
    }
}

/// The documented success response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// Success status code.
    pub status: u16,
    /// OData type of the body (`microsoft.graph.user`), `None` for no body.
    #[serde(rename = "type")]
    pub type_name: Option<String>,
    /// Whether the body is a collection of `type`.
    pub collection: bool,
    /// The sentence that says so.
    pub source: Source,
}

impl Response {
    /// The body's type, if it has one.
    pub fn type_ref(&self) -> Option<TypeRef<'_>> {
        self.type_name
            .as_deref()
            .map(|name| TypeRef::of(name, self.collection))
    }
}

/// A request/response example pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Example {
    /// The request annotation's `name`, if any.
    pub name: Option<String>,
    /// The example request.
    pub request: Option<ExampleRequest>,
    /// The example response.
    pub response: Option<ExampleResponse>,
}

/// An example request block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExampleRequest {
    /// Upper-case HTTP method.
    pub method: String,
    /// URL as written (absolute or relative).
    pub url: String,
    /// Header lines in order.
    pub headers: Vec<(String, String)>,
    /// Body text, if any (JSON or otherwise).
    pub body: Option<String>,
    /// The fence.
    pub source: Source,
}

/// An example response block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExampleResponse {
    /// Status code from the `HTTP/1.1 nnn` line.
    pub status: u16,
    /// Header lines in order.
    pub headers: Vec<(String, String)>,
    /// The body as JSON, if it is JSON (read leniently).
    pub body: Option<Value>,
    /// The annotation's `@odata.type`, without `Collection(...)`.
    pub odata_type: Option<String>,
    /// Whether the annotation says the body is a collection.
    pub collection: bool,
    /// `"truncated": true`: properties were omitted from the sample.
    pub truncated: bool,
    /// The fence.
    pub source: Source,
}

/// An entity or complex type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// Qualified OData name (`microsoft.graph.user`).
    pub name: String,
    /// The API version it belongs to.
    pub version: ApiVersion,
    /// Description, as markdown.
    pub description: String,
    /// `baseType` from the resource annotation.
    pub base_type: Option<String>,
    /// Whether the type is open (keeps unknown properties by definition).
    pub open_type: bool,
    /// Where the model was learnt from.
    pub origin: Origin,
    /// Properties in declaration order.
    pub properties: Vec<Property>,
    /// The resource page title or the first sample that introduced it.
    pub source: Source,
}

/// An enumeration type: a string-valued type with documented members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumType {
    /// Qualified OData name (`microsoft.graph.riskLevel`).
    pub name: String,
    /// The API version it belongs to.
    pub version: ApiVersion,
    /// Description, as markdown.
    pub description: String,
    /// Members in the order the docs list them.
    pub members: Vec<EnumMember>,
    /// The heading or title that names it.
    pub source: Source,
}

/// A documented member of an enumeration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumMember {
    /// The member as sent in JSON (`low`).
    pub name: String,
    /// The numeric value the docs give, if any.
    pub value: Option<i64>,
    /// Description, as markdown.
    pub description: String,
    /// The table row.
    pub source: Source,
}

/// How a model or property became known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// A resource page's properties table.
    Declared,
    /// Inferred from example JSON.
    Sample,
}

/// A property of a model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Property {
    /// JSON name (`accountEnabled`).
    pub name: String,
    /// OData type (`Edm.Boolean`, `microsoft.graph.assignedLicense`).
    #[serde(rename = "type")]
    pub type_name: String,
    /// Whether the property is a collection of `type`.
    pub collection: bool,
    /// Description, as markdown.
    pub description: String,
    /// Where the property became known.
    pub origin: Origin,
    /// The table row or sample line.
    pub source: Source,
}

impl Property {
    /// The property's type.
    pub fn type_ref(&self) -> TypeRef<'_> {
        TypeRef::of(&self.type_name, self.collection)
    }
}
