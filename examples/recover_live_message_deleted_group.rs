//! Restores a deleted interactive messaging group with the generated client.
//!
//! With `ALIBABA_CLOUD_ACCESS_KEY_ID`/`_SECRET` set (or `~/.aliyun/config.json`)
//! it calls the real service:
//!
//! `cargo run --example recover_live_message_deleted_group -- <AppId> <GroupId>`
//!
//! Without credentials it starts a signature-verifying server on 127.0.0.1
//! and calls that instead, so the example runs anywhere.

#[path = "../runtime/tests/support/mod.rs"]
mod server;

use alibabacloud_live::operations::recover_live_message_deleted_group::DataCenter;
use alibabacloud_live::{Client, Config, SdkError};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let app_id = args.next().unwrap_or_else(|| "demo".into());
    let group_id = args.next().unwrap_or_else(|| "grouptest".into());

    let real = std::env::var_os("ALIBABA_CLOUD_ACCESS_KEY_ID").is_some();
    let _local;
    let client = if real {
        Client::new(Config::from_env()?.region("cn-shanghai"))?
    } else {
        let local = server::TestServer::start(
            vec![server::Key::new("local-id", "local-secret")],
            |_, _| server::Reply::json(200, r#"{"RequestId":"local-1","GroupId":"grouptest"}"#),
        )
        .await;
        println!(
            "no credentials in the environment: calling a local server at {}",
            local.endpoint()
        );
        let client = Client::new(
            Config::new()
                .endpoint(local.endpoint())
                .access_key("local-id", "local-secret"),
        )?;
        _local = local;
        client
    };

    match client
        .recover_live_message_deleted_group(app_id, group_id)
        .data_center(DataCenter::CnShanghai)
        .send()
        .await
    {
        Ok(response) => println!(
            "restored group {:?} (request {:?})",
            response.group_id, response.request_id
        ),
        Err(SdkError::Service(error)) => println!("the service refused: {error}"),
        Err(other) => return Err(other.into()),
    }
    Ok(())
}
