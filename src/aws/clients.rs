//! The per-account client cache.
//!
//! Each account gets one SDK config (the current credentials for the caller's own account, an
//! assume-role provider for the others, cached and refreshed before expiry by an identity cache of
//! the account's own: the SDK's shared one holds only 64 accounts' credentials) and one client per
//! service, each with its own retry partition so one throttled account cannot drain the retry
//! budget of the rest. Every client of every account sends through the one
//! HTTP client of the base config (`context::shared_https_client`): one connection pool, one TLS
//! setup, whatever the number of accounts.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use aws_config::{Region, SdkConfig, sts::AssumeRoleProvider};
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_smithy_runtime::client::retries::RetryPartition;
use tokio::sync::OnceCell;

use super::calls::CallLog;
use super::context::AwsSettings;
use super::error::map_sdk_error;
use crate::domain::account::{CallerIdentity, role_arn};
use crate::services::ServiceError;

/// The root of the AWS adapters: base config, caller identity, and the account cache.
pub struct Aws {
    base: SdkConfig,
    settings: AwsSettings,
    current: Arc<AccountClients>,
    caller: OnceCell<CallerIdentity>,
    accounts: Mutex<HashMap<String, Arc<AccountClients>>>,
}

impl Aws {
    pub fn new(base: SdkConfig, settings: AwsSettings) -> Self {
        let current = Arc::new(AccountClients::new("current", base.clone()));
        Aws {
            base,
            settings,
            current,
            caller: OnceCell::new(),
            accounts: Mutex::new(HashMap::new()),
        }
    }

    /// The same credentials and settings in another region, with empty caches.
    pub fn in_region(&self, region: &str) -> Self {
        let base = self
            .base
            .to_builder()
            .region(Region::new(region.to_owned()))
            .build();
        let mut settings = self.settings.clone();
        settings.region = Some(region.to_owned());
        Aws::new(base, settings)
    }

    pub fn region(&self) -> Option<String> {
        self.base.region().map(|r| r.to_string())
    }

    pub fn endpoint(&self) -> Option<String> {
        super::context::endpoint_of(&self.base)
    }

    pub fn settings(&self) -> &AwsSettings {
        &self.settings
    }

    /// Clients using the current credentials as they are.
    pub fn current(&self) -> &Arc<AccountClients> {
        &self.current
    }

    /// Who the current credentials are; asked once, then cached.
    pub async fn caller(&self) -> Result<&CallerIdentity, ServiceError> {
        self.caller
            .get_or_try_init(|| async {
                let out = self
                    .current
                    .sts()
                    .get_caller_identity()
                    .send()
                    .await
                    .map_err(|e| map_sdk_error(e, "STS GetCallerIdentity"))?;
                let account_id = out.account.unwrap_or_default();
                let _ = self.current.account.set(account_id.clone());
                Ok(CallerIdentity {
                    account_id,
                    arn: out.arn.unwrap_or_default(),
                    user_id: out.user_id.unwrap_or_default(),
                })
            })
            .await
    }

    /// Clients for an account: the current credentials when it is the caller's own account,
    /// otherwise the configured role assumed into it.
    pub async fn for_account(&self, account_id: &str) -> Result<Arc<AccountClients>, ServiceError> {
        if self.caller().await?.account_id == account_id {
            return Ok(self.current.clone());
        }
        Ok(self.assumed(account_id).await)
    }

    /// Clients that always go through the assumed role, even for the caller's own account.
    pub async fn assumed(&self, account_id: &str) -> Arc<AccountClients> {
        if let Some(found) = self.lock_accounts().get(account_id) {
            return found.clone();
        }
        let mut builder =
            AssumeRoleProvider::builder(role_arn(account_id, &self.settings.role_name))
                .session_name(&self.settings.session_name)
                .configure(&self.base);
        if let Some(external_id) = &self.settings.external_id {
            builder = builder.external_id(external_id);
        }
        let provider = builder.build().await;
        let sdk = self
            .base
            .to_builder()
            .credentials_provider(SharedCredentialsProvider::new(provider))
            .identity_cache(super::context::credentials_cache())
            .build();
        let built = Arc::new(AccountClients::new(account_id, sdk));
        // Another task may have built it meanwhile: keep the first so its credentials stay cached.
        self.lock_accounts()
            .entry(account_id.to_owned())
            .or_insert(built)
            .clone()
    }

    fn lock_accounts(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<AccountClients>>> {
        // A panic while holding this lock cannot leave the map half-written: recover it.
        self.accounts.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Generates a lazily built, cached client accessor with a per-account retry partition.
/// Every client logs its calls (`aws::calls`) under `$label`, the name error messages begin with.
macro_rules! client {
    ($field:ident, $krate:ident, $service:literal, $label:literal) => {
        pub fn $field(&self) -> &$krate::Client {
            self.$field.get_or_init(|| {
                let conf = $krate::config::Builder::from(&self.sdk)
                    .retry_partition(RetryPartition::new(format!(
                        "{}-{}",
                        $service, self.partition
                    )))
                    .interceptor(CallLog::new(
                        $label,
                        self.account.clone(),
                        self.sdk.region().map(|r| r.to_string()),
                        self.sdk.endpoint_url().map(str::to_owned),
                    ))
                    .build();
                $krate::Client::from_conf(conf)
            })
        }
    };
}

/// One account's clients, built on first use.
pub struct AccountClients {
    partition: String,
    /// The account id, for the call log: known at once for an assumed role, after the first
    /// GetCallerIdentity for the current credentials.
    account: Arc<OnceLock<String>>,
    sdk: SdkConfig,
    sts: OnceLock<aws_sdk_sts::Client>,
    organizations: OnceLock<aws_sdk_organizations::Client>,
    route53: OnceLock<aws_sdk_route53::Client>,
    cognito: OnceLock<aws_sdk_cognitoidentityprovider::Client>,
    sfn: OnceLock<aws_sdk_sfn::Client>,
}

impl AccountClients {
    fn new(partition: &str, sdk: SdkConfig) -> Self {
        let account = Arc::new(OnceLock::new());
        if partition != "current" {
            let _ = account.set(partition.to_owned());
        }
        AccountClients {
            partition: partition.to_owned(),
            account,
            sdk,
            sts: OnceLock::new(),
            organizations: OnceLock::new(),
            route53: OnceLock::new(),
            cognito: OnceLock::new(),
            sfn: OnceLock::new(),
        }
    }

    pub fn sdk_config(&self) -> &SdkConfig {
        &self.sdk
    }

    client!(sts, aws_sdk_sts, "sts", "STS");
    client!(
        organizations,
        aws_sdk_organizations,
        "organizations",
        "Organizations"
    );
    client!(route53, aws_sdk_route53, "route53", "Route53");
    client!(
        cognito,
        aws_sdk_cognitoidentityprovider,
        "cognito-idp",
        "Cognito"
    );
    client!(sfn, aws_sdk_sfn, "sfn", "Step Functions");
}

#[cfg(test)]
impl Aws {
    /// An `Aws` whose credentials belong to `account_id` and whose Step Functions client for that
    /// account is `sfn`, so the adapter runs unchanged against the SDK's mock client.
    pub(crate) fn with_sfn_client(account_id: &str, sfn: aws_sdk_sfn::Client) -> Self {
        let base = SdkConfig::builder().build();
        let current = AccountClients::new("current", base.clone());
        let _ = current.sfn.set(sfn);
        Aws {
            base,
            settings: AwsSettings::default(),
            current: Arc::new(current),
            caller: OnceCell::new_with(Some(CallerIdentity {
                account_id: account_id.to_owned(),
                arn: format!("arn:aws:iam::{account_id}:user/test"),
                user_id: "test".to_owned(),
            })),
            accounts: Mutex::new(HashMap::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use aws_credential_types::Credentials;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    /// What the test server saw: connections accepted, AssumeRole requests answered.
    #[derive(Default)]
    struct Seen {
        connections: AtomicUsize,
        assume_role: AtomicUsize,
    }

    const ZONES: &str = "<?xml version=\"1.0\"?><ListHostedZonesResponse \
        xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><HostedZones/>\
        <IsTruncated>false</IsTruncated><MaxItems>100</MaxItems></ListHostedZonesResponse>";

    const ASSUMED: &str = "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
        <AssumeRoleResult><Credentials><AccessKeyId>ASIATEST</AccessKeyId>\
        <SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken>\
        <Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser>\
        <AssumedRoleId>AROA:opsdeck</AssumedRoleId><Arn>arn:aws:sts::111111111111:assumed-role/r/opsdeck</Arn>\
        </AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>";

    /// An HTTP/1.1 server that answers STS AssumeRole with credentials (expiring in 2099) and any
    /// other request with an empty Route53 zone list, keeps connections open, and counts.
    async fn counting_server() -> (String, Arc<Seen>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Seen::default());
        let count = seen.clone();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                count.connections.fetch_add(1, Ordering::SeqCst);
                let count = count.clone();
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 16 * 1024];
                    let mut read = Vec::new();
                    loop {
                        let Ok(n) = socket.read(&mut buf).await else {
                            return;
                        };
                        if n == 0 {
                            return;
                        }
                        read.extend_from_slice(&buf[..n]);
                        while let Some(end) = read.windows(4).position(|w| w == b"\r\n\r\n") {
                            let head = String::from_utf8_lossy(&read[..end]).to_lowercase();
                            let length: usize = head
                                .lines()
                                .find_map(|l| l.strip_prefix("content-length:"))
                                .map_or(0, |v| v.trim().parse().unwrap());
                            if read.len() < end + 4 + length {
                                break;
                            }
                            let request: Vec<u8> = read.drain(..end + 4 + length).collect();
                            let body = if String::from_utf8_lossy(&request)
                                .contains("Action=AssumeRole")
                            {
                                count.assume_role.fetch_add(1, Ordering::SeqCst);
                                ASSUMED
                            } else {
                                ZONES
                            };
                            let answer = format!(
                                "HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\n\
                                 content-length: {}\r\n\r\n{body}",
                                body.len()
                            );
                            if socket.write_all(answer.as_bytes()).await.is_err() {
                                return;
                            }
                        }
                    }
                });
            }
        });
        (url, seen)
    }

    async fn base_config(url: String) -> (SdkConfig, AwsSettings) {
        let settings = AwsSettings {
            region: Some("us-east-1".into()),
            endpoint_url: Some(url),
            max_attempts: 1,
            role_name: "OrganizationAccountAccessRole".into(),
            session_name: "opsdeck".into(),
            ..AwsSettings::default()
        };
        let base = super::super::context::load_base_config(&settings)
            .await
            .to_builder()
            .credentials_provider(SharedCredentialsProvider::new(Credentials::for_tests()))
            .build();
        (base, settings)
    }

    #[tokio::test]
    async fn each_account_assumes_its_role_once_however_many_accounts_there_are() {
        let (url, seen) = counting_server().await;
        let (base, settings) = base_config(url).await;
        let aws = Aws::new(base, settings);
        // More accounts than the SDK's shared credentials cache holds (64): each account's
        // credentials stay cached for its next calls.
        let ids: Vec<String> = (0..100).map(|a| format!("{a:012}")).collect();
        for round in 0..2 {
            for id in &ids {
                let clients = aws.assumed(id).await;
                clients.route53().list_hosted_zones().send().await.unwrap();
            }
            assert_eq!(
                seen.assume_role.load(Ordering::SeqCst),
                100,
                "round {round}"
            );
        }
    }

    #[tokio::test]
    async fn every_accounts_clients_share_one_connection_pool() {
        let (url, seen) = counting_server().await;
        let (base, _) = base_config(url).await;
        for account in ["111111111111", "222222222222", "333333333333"] {
            let clients = AccountClients::new(account, base.clone());
            clients.route53().list_hosted_zones().send().await.unwrap();
        }
        // One kept-alive connection served the three accounts' calls one after another.
        assert_eq!(seen.connections.load(Ordering::SeqCst), 1);
    }
}
