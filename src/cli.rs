//! The command line: `meldcode serve` (the default), `migrate`, `demo`, `school add` and `user add`.
//! Every flag also reads an environment variable, so the same binary is configured the same way
//! from a shell, a service file or a container.

use crate::domain::ids::SchoolId;
use std::io::Read;
use std::net::SocketAddr;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};

use crate::app::{AppState, Settings};
use crate::auth::Passwords;
use crate::clock::Clock;
use crate::domain::account::{Email, ShortText, check_new_password};
use crate::domain::role::Role;
use crate::store::tokens::{Purpose, new_token};
use crate::store::users::{Actor, NewUser};
use crate::store::{Db, is_unique_violation, org};

#[derive(Debug, Parser)]
#[command(
    name = "meldcode",
    version,
    about = "Meldcode: de meldcode huiselijk geweld en kindermishandeling voor scholen"
)]
pub struct Cli {
    /// The database: a SQLite file (created when missing) or a postgres:// URL.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "meldcode.db",
        global = true
    )]
    pub database_url: String,

    /// The master key file that unlocks the dossiers' encryption. Made when the database holds
    /// no encrypted data yet; keep a copy apart from the database and its backups.
    #[arg(
        long,
        env = "MELDCODE_KEY_FILE",
        default_value = "meldcode.key",
        global = true
    )]
    pub key_file: std::path::PathBuf,

    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the web server (the default).
    Serve(ServeArgs),
    /// Bring the database schema up to date, then stop.
    Migrate,
    /// Load the demo organisation into an empty database and print its logins.
    Demo {
        /// Also generate this many schools of realistic volume (400 pupils, 30 staff, 100
        /// dossiers of 20 entries each per school), for the benchmark.
        #[arg(long)]
        scale: Option<i64>,
        /// With --scale: also give one open dossier of the first school this many more entries,
        /// and print its id (the benchmark's very long dossier).
        #[arg(long)]
        long_dossier: Option<i64>,
    },
    /// Manage schools.
    #[command(subcommand)]
    School(SchoolCommand),
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Make a consistent copy of the SQLite database while the server runs.
    Backup {
        /// Where to write the copy (must not exist yet).
        file: std::path::PathBuf,
    },
    /// Put a backup in place of the SQLite database. Stop the server first.
    Restore {
        /// The backup to restore.
        file: std::path::PathBuf,
        /// Overwrite an existing database.
        #[arg(long)]
        force: bool,
    },
    /// For the benchmark: how many password checks per second this machine's cores allow.
    #[command(hide = true)]
    PasswordRate,
    /// Read in a school's pupils and staff from an EDEXML or CSV file of its administration
    /// system. Repeating it updates the roster; --dry-run only says what would change.
    Import {
        /// The EDEXML (.xml) or CSV file.
        file: std::path::PathBuf,
        /// The school's name.
        #[arg(long)]
        school: String,
        /// Only print what would change.
        #[arg(long)]
        dry_run: bool,
    },
    /// Remove the content of dossiers past the retention period (runs daily in the server too).
    Purge {
        /// Only list what would be removed.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the audit log's hash chain and name the first broken row.
    Verify,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(long, env = "MELDCODE_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// The address users reach Meldcode at (for printed links; https switches on HSTS).
    /// Defaults to http://ADDR.
    #[arg(long, env = "MELDCODE_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Load the demo organisation when the database is empty.
    #[arg(long, env = "MELDCODE_DEMO")]
    pub demo: bool,
    /// Send the session cookie over plain http too (only for use on your own machine).
    #[arg(long, env = "MELDCODE_INSECURE_HTTP")]
    pub insecure_http: bool,
    /// Take the client address from X-Forwarded-For (only behind a proxy that sets it).
    #[arg(long, env = "MELDCODE_TRUST_PROXY")]
    pub trust_proxy: bool,
    /// SMTP server for notification e-mails, e.g. smtp://relay.school.nl:25 or
    /// smtps://user:password@mail.example.nl:465. Without it, notifications stay in the app.
    #[arg(long, env = "MELDCODE_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// Sender of notification e-mails.
    #[arg(
        long,
        env = "MELDCODE_MAIL_FROM",
        default_value = "Meldcode <meldcode@localhost>"
    )]
    pub mail_from: String,
}

#[derive(Debug, Subcommand)]
pub enum SchoolCommand {
    /// Add a school. On an empty database, --organisation creates the organisation too.
    Add {
        name: String,
        #[arg(long)]
        organisation: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user with one or more roles at a school. The password is read from standard input.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// The school's name.
        #[arg(long)]
        school: String,
        /// beroepskracht, aandachtsfunctionaris, directie or beheerder; repeat for more.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// Read the password from standard input (the only way to give one).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let command = cli.command.unwrap_or(Command::Serve(cli.serve));
    if let Command::Serve(_) = command {
        tracing_subscriber::fmt()
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_from_default_env()
                    .unwrap_or_else(|_| "meldcode=info,tower_http=info".into()),
            )
            .init();
    }
    if let Command::PasswordRate = command {
        let rate = tokio::task::spawn_blocking(|| {
            crate::auth::verifications_per_second(std::time::Duration::from_secs(5))
        })
        .await??;
        println!("{rate:.1}");
        return Ok(());
    }
    // A restore replaces the database file: it must not open (and migrate) it first.
    if let Command::Restore { file, force } = &command {
        return restore(&cli.database_url, file, *force).await;
    }
    let db = Db::connect(&cli.database_url)
        .await
        .with_context(|| "de database is niet bereikbaar")?;
    db.migrate()
        .await
        .context("de database kon niet worden bijgewerkt")?;
    // A copy of the database file, and checking the audit chain, need no key; everything else
    // reads or writes what the key protects.
    if !matches!(command, Command::Backup { .. } | Command::Audit(_)) {
        unlock(&db, &cli.key_file).await?;
    }
    let clock = Clock::system();
    match command {
        Command::Serve(args) => serve(db, clock, args).await,
        Command::Migrate => {
            println!("De database is bijgewerkt.");
            Ok(())
        }
        Command::Demo {
            scale,
            long_dossier,
        } => {
            let passwords = Passwords::new().await?;
            let logins = crate::demo::load(&db, &passwords, clock.unix()).await?;
            print_logins(&logins);
            if let Some(schools) = scale.filter(|n| *n > 0) {
                let started = std::time::Instant::now();
                let org = db.organisation().await?.context("geen organisatie")?;
                let hash = passwords.hash(crate::demo::PASSWORD).await?;
                let (dossiers, entries) = db.generate(org.id, schools, &hash, clock.unix()).await?;
                println!(
                    "Gegenereerd: {schools} scholen, {dossiers} dossiers, {entries} aantekeningen in {:.1} s. Medewerkers: medewerker0@school0000.example (aandachtsfunctionaris), medewerker1@… (directie; die van school0000 is directie van alle scholen), medewerker2@… (leerkracht); wachtwoord als boven.",
                    started.elapsed().as_secs_f64()
                );
                if let Some(n) = long_dossier.filter(|n| *n > 0) {
                    let id = db
                        .long_dossier_candidate()
                        .await?
                        .context("geen open dossier om lang te maken")?;
                    db.lengthen(id, n).await?;
                    println!("Lang dossier: /dossiers/{id} met {n} extra aantekeningen.");
                }
            }
            Ok(())
        }
        Command::Backup { file } => backup(&db, &file).await,
        Command::Restore { .. } | Command::PasswordRate => {
            unreachable!("handled before connecting")
        }
        Command::Purge { dry_run } => {
            let done = crate::jobs::purge(&db, &clock, dry_run).await?;
            if done.is_empty() {
                println!("Geen dossiers voorbij de bewaartermijn.");
            }
            for c in done {
                let closed = time::OffsetDateTime::from_unix_timestamp(c.closed_at)
                    .map(|t| t.date().to_string())
                    .unwrap_or_default();
                let what = if dry_run {
                    "zou worden verwijderd"
                } else {
                    "verwijderd"
                };
                println!("Dossier {} ({}, gesloten {closed}) {what}.", c.id, c.school);
            }
            Ok(())
        }
        Command::Audit(AuditCommand::Verify) => match db.verify_audit_chain().await? {
            Ok(n) => {
                println!("Het auditlog is intact: {n} regels, de keten klopt.");
                Ok(())
            }
            Err(id) => bail!("het auditlog is aangetast: de keten breekt bij regel {id}"),
        },
        Command::Import {
            file,
            school,
            dry_run,
        } => import(&db, &clock, &file, &school, dry_run).await,
        Command::School(SchoolCommand::Add { name, organisation }) => {
            school_add(&db, &clock, &name, organisation.as_deref()).await
        }
        Command::User(UserCommand::Add {
            email,
            name,
            school,
            roles,
            password_stdin: _,
        }) => {
            let mut password = String::new();
            std::io::stdin()
                .read_to_string(&mut password)
                .context("kon het wachtwoord niet lezen")?;
            let password = password.trim_end_matches(['\r', '\n']);
            user_add(&db, &clock, &email, &name, &school, &roles, password).await
        }
    }
}

fn print_logins(logins: &[crate::demo::Login]) {
    println!(
        "Demo-gegevens geladen. Inloggen met wachtwoord '{}':",
        crate::demo::PASSWORD
    );
    for l in logins {
        println!("  {:<34} {}", l.email, l.roles);
    }
}

async fn serve(db: Db, clock: Clock, args: ServeArgs) -> anyhow::Result<()> {
    let public_url = args
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", args.addr))
        .trim_end_matches('/')
        .to_string();
    let settings = Settings {
        secure_cookies: !args.insecure_http,
        public_url: public_url.clone(),
        trust_forwarded_for: args.trust_proxy,
        smtp_url: args.smtp_url.clone(),
        mail_from: args.mail_from.clone(),
    };
    let state = AppState::new(db.clone(), settings, clock.clone()).await?;
    if db.organisation().await?.is_none() {
        if args.demo {
            let logins = crate::demo::load(&db, &state.passwords, clock.unix()).await?;
            print_logins(&logins);
        } else {
            let token = new_token();
            db.store_token(&token, Purpose::Setup, None, clock.unix(), 24 * 60 * 60)
                .await?;
            println!(
                "Meldcode is nog niet ingericht. Open deze link (eenmalig, 24 uur geldig) om de organisatie, de eerste school en de eerste beheerder aan te maken:"
            );
            println!("  {public_url}/setup/{token}");
        }
    }
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("kan niet luisteren op {}", args.addr))?;
    println!("Meldcode draait op {public_url} (gestopt met Ctrl+C).");
    if !state.settings.secure_cookies {
        println!(
            "Let op: de sessiecookie gaat ook over onversleuteld http. Alleen voor gebruik op uw eigen computer."
        );
    } else if !state.settings.https() {
        println!(
            "Let op: de sessiecookie werkt alleen over https. Voor gebruik op uw eigen computer: --insecure-http."
        );
    }
    crate::serve(listener, state).await?;
    Ok(())
}

async fn school_add(
    db: &Db,
    clock: &Clock,
    name: &str,
    organisation: Option<&str>,
) -> anyhow::Result<()> {
    let name = ShortText::parse(name, "de naam van de school").map_err(anyhow::Error::msg)?;
    let now = clock.unix();
    match db.organisation().await? {
        Some(o) => match db.add_school(o.id, name.as_str(), now).await {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e) => {
                bail!("er is al een school met de naam '{}'", name.as_str())
            }
            Err(e) => return Err(e.into()),
        },
        None => {
            let Some(org_name) = organisation else {
                bail!("er is nog geen organisatie; geef de naam mee met --organisation NAAM");
            };
            let org_name = ShortText::parse(org_name, "de naam van de organisatie")
                .map_err(anyhow::Error::msg)?;
            let mut tx = db.begin_write().await?;
            org::create_organisation(&mut tx, org_name.as_str(), name.as_str(), now).await?;
            tx.commit().await?;
            db.ensure_data_keys().await?;
        }
    }
    println!("School '{}' toegevoegd.", name.as_str());
    Ok(())
}

async fn import(
    db: &Db,
    clock: &Clock,
    file: &std::path::Path,
    school: &str,
    dry_run: bool,
) -> anyhow::Result<()> {
    let Some(org) = db.organisation().await? else {
        bail!(
            "er is nog geen organisatie; begin met: meldcode school add NAAM --organisation NAAM"
        );
    };
    let Some(school) = db.school_by_name(org.id, school.trim()).await? else {
        bail!("er is geen school met de naam '{}'", school.trim());
    };
    // The size is checked before the file is read.
    let size = std::fs::metadata(file)
        .with_context(|| format!("kan {} niet lezen", file.display()))?
        .len();
    if size > crate::domain::roster::MAX_BYTES as u64 {
        bail!(
            "het bestand is groter dan {} MB; er is niets veranderd",
            crate::domain::roster::MAX_BYTES / (1024 * 1024)
        );
    }
    let bytes =
        std::fs::read(file).with_context(|| format!("kan {} niet lezen", file.display()))?;
    let roster = crate::domain::roster::parse(&bytes)
        .map_err(|e| anyhow::anyhow!("{}: {}. Er is niets veranderd.", e.place, e.message))?;
    let outcome = if dry_run {
        db.roster_preview(school.id, &roster).await?
    } else {
        db.import_roster(org.id, school.id, &roster, &Actor::default(), clock.unix())
            .await?
    };
    let plan = outcome
        .map_err(|e| anyhow::anyhow!("{}: {}. Er is niets veranderd.", e.place, e.message))?;
    let verb = if dry_run { "zou" } else { "is" };
    println!(
        "{}: {} {verb} ingelezen{}.",
        school.name,
        file.display(),
        if dry_run {
            " worden (proef: er is niets veranderd)"
        } else {
            ""
        }
    );
    println!(
        "Leerlingen: {} nieuw, {} gewijzigd, {} vertrokken, {} ongewijzigd.",
        plan.add_pupils.len(),
        plan.change_pupils.len(),
        plan.leave_pupils.len(),
        plan.unchanged_pupils
    );
    println!(
        "Medewerkers: {} nieuw, {} gewijzigd, {} vertrokken, {} ongewijzigd.",
        plan.add_staff.len(),
        plan.change_staff.len(),
        plan.leave_staff.len(),
        plan.unchanged_staff
    );
    Ok(())
}

async fn user_add(
    db: &Db,
    clock: &Clock,
    email: &str,
    name: &str,
    school: &str,
    roles: &[String],
    password: &str,
) -> anyhow::Result<()> {
    let email = Email::parse(email).map_err(anyhow::Error::msg)?;
    let name = ShortText::parse(name, "de naam").map_err(anyhow::Error::msg)?;
    let roles = roles
        .iter()
        .map(|r| Role::parse(r).with_context(|| format!("onbekende rol '{r}'; kies uit beroepskracht, aandachtsfunctionaris, directie, beheerder")))
        .collect::<anyhow::Result<Vec<Role>>>()?;
    check_new_password(password, &[email.as_str(), name.as_str()]).map_err(anyhow::Error::msg)?;
    let Some(org) = db.organisation().await? else {
        bail!(
            "er is nog geen organisatie; begin met: meldcode school add NAAM --organisation NAAM"
        );
    };
    let Some(school) = db.school_by_name(org.id, school.trim()).await? else {
        bail!("er is geen school met de naam '{}'", school.trim());
    };
    let hash = Passwords::new().await?.hash(password).await?;
    let now = clock.unix();
    let roles: Vec<(SchoolId, Role)> = roles.iter().map(|r| (school.id, *r)).collect();
    let new = NewUser {
        org_id: org.id,
        email: email.as_str(),
        name: name.as_str(),
        password_hash: Some(&hash),
        roles: &roles,
    };
    // The user, the roles and their audit rows (by nobody logged in: the command line) in one
    // transaction: nothing half-made.
    match db.add_user_with_roles(&new, &Actor::default(), now).await {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => {
            bail!("er is al een gebruiker met e-mailadres {}", email.as_str())
        }
        Err(e) => return Err(e.into()),
    }
    println!("Gebruiker {} toegevoegd.", email.as_str());
    Ok(())
}

/// The file of a SQLite database URL.
fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
    let url = crate::store::normalise_url(url);
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    Some(std::path::PathBuf::from(
        rest.split('?').next().unwrap_or(rest),
    ))
}

/// Checks a SQLite database file: SQLite's own integrity check, then the audit log's chain.
async fn check_copy(path: &std::path::Path) -> anyhow::Result<u64> {
    let url = format!("sqlite://{}?mode=ro", path.display());
    let copy = Db::connect(&url)
        .await
        .context("de kopie kan niet worden geopend")?;
    let integrity = copy.integrity_check().await?;
    if integrity != "ok" {
        bail!("de kopie is beschadigd: {integrity}");
    }
    let rows = match copy.verify_audit_chain().await? {
        Ok(n) => n,
        Err(id) => bail!("in de kopie breekt de keten van het auditlog bij regel {id}"),
    };
    copy.close().await;
    Ok(rows)
}

async fn backup(db: &Db, file: &std::path::Path) -> anyhow::Result<()> {
    if db.backend() == crate::store::Backend::Postgres {
        bail!("voor PostgreSQL maakt u een back-up met pg_dump (zie de README)");
    }
    if file.exists() {
        bail!(
            "{} bestaat al; kies een nieuwe bestandsnaam",
            file.display()
        );
    }
    // VACUUM INTO writes a consistent copy from one read transaction, while the server goes on.
    db.copy_into(&file.to_string_lossy())
        .await
        .context("de back-up is mislukt")?;
    let rows = check_copy(file).await?;
    println!(
        "Back-up gemaakt: {} (gecontroleerd; auditlog intact, {rows} regels).",
        file.display()
    );
    Ok(())
}

/// Unlocks the database with the master key file, making the file when the database holds no
/// encrypted data yet; then gives every organisation a data key and encrypts what an older
/// version left in plain text (resumable: each batch commits on its own).
async fn unlock(db: &Db, key_file: &std::path::Path) -> anyhow::Result<()> {
    use crate::crypto::MasterKey;
    let master = match std::fs::read_to_string(key_file) {
        Ok(text) => MasterKey::from_file_text(&text).map_err(|_| {
            anyhow::anyhow!(
                "het sleutelbestand {} bevat geen geldige sleutel",
                key_file.display()
            )
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if db.has_data_keys().await? {
                bail!(
                    "het sleutelbestand {} ontbreekt. Deze database is versleuteld: zonder het sleutelbestand waarmee ze is gemaakt, kan Meldcode de dossiers niet lezen en start het niet. Geef het juiste bestand op met --key-file of MELDCODE_KEY_FILE.",
                    key_file.display()
                );
            }
            let master = MasterKey::generate();
            write_new_key_file(key_file, &master).with_context(|| {
                format!(
                    "het sleutelbestand {} kon niet worden gemaakt",
                    key_file.display()
                )
            })?;
            eprintln!(
                "Nieuw sleutelbestand gemaakt: {} (sleutel {}). Bewaar een kopie op een veilige plek, apart van de database en de back-ups: zonder dit bestand zijn de dossiers niet te lezen.",
                key_file.display(),
                master.id()
            );
            master
        }
        Err(e) => {
            return Err(e).with_context(|| {
                format!(
                    "het sleutelbestand {} kon niet worden gelezen",
                    key_file.display()
                )
            });
        }
    };
    db.unlock(master).await?;
    db.ensure_data_keys().await?;
    let sealed = db.encrypt_existing().await?;
    if sealed > 0 {
        eprintln!("{sealed} aantekeningen van vóór de versleuteling zijn nu versleuteld.");
    }
    Ok(())
}

/// Writes a new key file that only its owner may read; never overwrites one.
fn write_new_key_file(
    path: &std::path::Path,
    master: &crate::crypto::MasterKey,
) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(master.to_file_text().as_bytes())?;
    file.sync_all()
}

async fn restore(database_url: &str, file: &std::path::Path, force: bool) -> anyhow::Result<()> {
    let Some(target) = sqlite_path(database_url) else {
        bail!(
            "terugzetten kan hier alleen voor SQLite; voor PostgreSQL gebruikt u pg_restore (zie de README)"
        );
    };
    if !file.exists() {
        bail!("{} bestaat niet", file.display());
    }
    let rows = check_copy(file).await?;
    if target.exists() && !force {
        bail!(
            "{} bestaat al; stop de server en gebruik --force om hem te vervangen",
            target.display()
        );
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
    }
    std::fs::copy(file, &target)
        .with_context(|| format!("kan niet schrijven naar {}", target.display()))?;
    println!(
        "Teruggezet: {} naar {} (auditlog intact, {rows} regels).",
        file.display(),
        target.display()
    );
    Ok(())
}
