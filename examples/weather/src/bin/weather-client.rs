//! Calls the weather service as the seed's Python client does: `ping`, then the
//! temperature in New York.

use std::process::ExitCode;

use rift::Endpoint;
use rift_weather::{
    Location, Options, TransportName, WeatherServiceBlockingClient, WeatherServiceClient, init_logging,
};

#[derive(Debug, clap::Parser)]
#[command(name = "weather-client", about = "Calls the weather service of the rift quick start")]
struct Cli {
    #[command(flatten)]
    options: Options,
    /// The city to ask about.
    #[arg(long, default_value = "New York")]
    city: String,
    /// Its country.
    #[arg(long, default_value = "USA")]
    country: String,
}

fn main() -> ExitCode {
    init_logging();
    let matches = Options::for_client(<Cli as clap::CommandFactory>::command()).get_matches();
    let cli = <Cli as clap::FromArgMatches>::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let format = match cli.options.wire_format() {
        Ok(format) => format,
        Err(e) => {
            eprintln!("weather-client: {e}");
            return ExitCode::from(2);
        }
    };
    let endpoint = Endpoint::tcp(cli.options.connect_address());
    let location = Location { city: cli.city.clone().into(), country: Some(cli.country.clone().into()) };
    let result: Result<Option<rift::FastStr>, Box<dyn std::error::Error>> = if cli.options.blocking {
        (|| {
            let mut builder = rift::blocking::Client::builder(endpoint).format(format);
            if cli.options.transport == TransportName::Http {
                builder = builder.http("/");
            }
            let client = WeatherServiceBlockingClient::new(builder.connect()?);
            if !client.ping()? {
                return Ok(None);
            }
            Ok(Some(client.get_temperature(location)?))
        })()
    } else {
        let runtime =
            tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
        runtime.block_on(async {
            let mut builder = rift::client::Client::builder(endpoint).format(format);
            if cli.options.transport == TransportName::Http {
                builder = builder.http("/");
            }
            let channel = builder.connect().await?;
            let client = WeatherServiceClient::new(channel);
            if !client.ping().await? {
                return Ok(None);
            }
            Ok(Some(client.get_temperature(location).await?))
        })
    };
    match result {
        Ok(Some(temperature)) => {
            println!("The temperature in {} is {temperature}", cli.city);
            ExitCode::SUCCESS
        }
        Ok(None) => {
            eprintln!("weather-client: the server did not answer the ping");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("weather-client: {e}");
            ExitCode::FAILURE
        }
    }
}
