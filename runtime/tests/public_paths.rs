//! Every public path of the configuration and credential types still resolves after
//! `identity`, `environment` and `profile_file` were split out of `config` and
//! `credentials` (they are private modules, re-exported at the old paths).

#![allow(unused_imports)]

use std::path::Path;
use std::time::Duration;

use acsgen_runtime::config::{
    CallOptions, Config, Environment, ProxyConfig, RootCertificate, DEFAULT_ATTEMPT_TIMEOUT,
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_OPERATION_TIMEOUT,
    DEFAULT_READ_TIMEOUT, ENV_REGION_ID,
};
use acsgen_runtime::credentials::{
    cli_config_path, credentials_file_path, from_env_vars, parse_expiration, sts_endpoint,
    CliConfig, CliProfile, CliProfileCredentials, Credential, CredentialsCache,
    CredentialsUriCredentials, DefaultCredentialsChain, EcsRamRoleCredentials,
    EnvironmentCredentials, ExternalCredentials, OidcRoleArnCredentials, ProfileFileCredentials,
    ProvideCredentials, ProvideFuture, ProviderConfig, RamRoleArnCredentials, RoleOptions, Secret,
    DEFAULT_METADATA_ENDPOINT, DEFAULT_SESSION_DURATION, ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET,
    ENV_CLI_PROFILE_DISABLED, ENV_CONFIG_FILE, ENV_CREDENTIALS_FILE, ENV_CREDENTIALS_URI,
    ENV_ECS_METADATA, ENV_ECS_METADATA_DISABLED, ENV_IMDSV1_DISABLED, ENV_OIDC_PROVIDER_ARN,
    ENV_OIDC_TOKEN_FILE, ENV_PROFILE, ENV_ROLE_ARN, ENV_ROLE_SESSION_NAME, ENV_SECURITY_TOKEN,
    ENV_STS_REGION, ENV_VPC_ENDPOINT_ENABLED, MAX_SOURCE_BYTES, REFRESH_BEFORE_EXPIRY,
};
use acsgen_runtime::http_client::ReqwestHttpClient;

#[allow(clippy::type_complexity)]
#[test]
fn moved_items_keep_their_paths_and_values() {
    // The crate root re-exports are the same items as the module paths.
    let _: acsgen_runtime::Credential = Credential::new("id", "secret");
    let _: acsgen_runtime::Secret = Secret::new("s");
    let _: acsgen_runtime::Environment = Environment::empty();
    let _: Option<acsgen_runtime::ProxyConfig> = None::<ProxyConfig>;
    let _: Option<acsgen_runtime::RootCertificate> = None::<RootCertificate>;
    let _: Option<&dyn acsgen_runtime::ProvideCredentials> = None::<&dyn ProvideCredentials>;
    let _: Option<acsgen_runtime::ProvideFuture<'static>> = None::<ProvideFuture<'static>>;

    // Methods defined away from their type's module are still methods of the type.
    let _: fn(&Environment) -> Option<String> = Environment::region;
    let _: fn() -> Result<Config, acsgen_runtime::ConfigError> = Config::from_env;
    let _: fn(Environment) -> Result<Config, acsgen_runtime::ConfigError> =
        Config::from_environment;
    let _: fn(&Config) -> Result<ReqwestHttpClient, acsgen_runtime::ConfigError> =
        ReqwestHttpClient::from_config;
    let _: fn(&Path) -> Result<CliConfig, acsgen_runtime::CredentialsError> = CliConfig::load;

    assert_eq!(ENV_REGION_ID, "ALIBABA_CLOUD_REGION_ID");
    assert_eq!(ENV_PROFILE, "ALIBABA_CLOUD_PROFILE");
    assert_eq!(ENV_CONFIG_FILE, "ALIBABA_CLOUD_CONFIG_FILE");
    assert_eq!(DEFAULT_METADATA_ENDPOINT, "http://100.100.100.200");
    assert_eq!(MAX_SOURCE_BYTES, 64 * 1024);
    assert_eq!(DEFAULT_CONNECT_TIMEOUT, Duration::from_secs(5));
    assert_eq!(DEFAULT_READ_TIMEOUT, Duration::from_secs(10));
    assert_eq!(
        Environment::process().metadata_endpoint(),
        Some(DEFAULT_METADATA_ENDPOINT)
    );
}
