//! The MFA session cache: the temporary credentials one MFA code bought, so the next commands of
//! an incident do not ask again.
//!
//! Where: `$XDG_STATE_HOME/opsdeck/sessions/` (next to the log and the audit trail), one file per
//! profile and MFA device, the directory 0700 and each file 0600, written whole (a temporary file
//! renamed over the old one). Not the AWS CLI's `~/.aws/cli/cache`: the CLI caches only the final
//! role credentials, under a key hashed from its own request arguments, and has no cache of the
//! GetSessionToken session that lets opsdeck re-assume every role (and every organisation account)
//! without a new code; sharing its directory would only let either tool misread the other's files.
//!
//! Never stored: long-term keys, the MFA code. `opsdeck logout` deletes a profile's files.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use serde::{Deserialize, Serialize};

/// What a cached session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SessionKind {
    /// STS GetSessionToken with the MFA code: roles are assumed from it.
    SessionToken,
    /// STS AssumeRole of the profile's first role with the MFA code.
    AssumedRole,
}

/// One cached session (the file's JSON).
#[derive(Clone, Serialize, Deserialize)]
pub struct CachedSession {
    pub profile: String,
    pub mfa_serial: String,
    pub kind: SessionKind,
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
    /// Seconds since the Unix epoch.
    pub expires: u64,
}

impl std::fmt::Debug for CachedSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CachedSession")
            .field("profile", &self.profile)
            .field("mfa_serial", &self.mfa_serial)
            .field("kind", &self.kind)
            .field("expires", &self.expires)
            .finish_non_exhaustive()
    }
}

impl CachedSession {
    pub fn new(
        profile: &str,
        mfa_serial: &str,
        kind: SessionKind,
        credentials: &Credentials,
    ) -> Option<Self> {
        let expires = credentials
            .expiry()?
            .duration_since(SystemTime::UNIX_EPOCH)
            .ok()?
            .as_secs();
        Some(CachedSession {
            profile: profile.to_owned(),
            mfa_serial: mfa_serial.to_owned(),
            kind,
            access_key_id: credentials.access_key_id().to_owned(),
            secret_access_key: credentials.secret_access_key().to_owned(),
            session_token: credentials.session_token()?.to_owned(),
            expires,
        })
    }

    pub fn expiry(&self) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(self.expires)
    }

    pub fn credentials(&self) -> Credentials {
        Credentials::new(
            &self.access_key_id,
            &self.secret_access_key,
            Some(self.session_token.clone()),
            Some(self.expiry()),
            "opsdeck MFA session",
        )
    }

    /// Still good for at least `margin`.
    pub fn lasts(&self, margin: Duration) -> bool {
        self.expiry() > SystemTime::now() + margin
    }
}

/// The cache directory under opsdeck's state directory.
pub fn dir(state_dir: &Path) -> PathBuf {
    state_dir.join("sessions")
}

/// Lower-case hex SHA-1.
pub(crate) fn sha1_hex(text: &str) -> String {
    use sha1::Digest;
    sha1::Sha1::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `<profile hash>-<serial hash>.json`: a profile name may hold anything a file name must not.
fn file(dir: &Path, profile: &str, serial: &str) -> PathBuf {
    dir.join(format!(
        "{}-{}.json",
        &sha1_hex(profile)[..16],
        &sha1_hex(serial)[..16]
    ))
}

/// The session cached for this profile and device, when it is still good for `margin`.
pub fn load(dir: &Path, profile: &str, serial: &str, margin: Duration) -> Option<CachedSession> {
    let text = std::fs::read_to_string(file(dir, profile, serial)).ok()?;
    let session: CachedSession = serde_json::from_str(&text).ok()?;
    (session.profile == profile && session.mfa_serial == serial && session.lasts(margin))
        .then_some(session)
}

/// Write (or replace) a session, readable and writable by the user only.
pub fn store(dir: &Path, session: &CachedSession) -> std::io::Result<()> {
    use std::io::Write;
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)?;
    let target = file(dir, &session.profile, &session.mfa_serial);
    // tempfile creates its files 0600.
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(serde_json::to_string(session)?.as_bytes())?;
    temp.as_file().sync_all()?;
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// Delete every session of `profile` (any device), or of every profile. The paths removed.
pub fn remove(dir: &Path, profile: Option<&str>) -> std::io::Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let prefix = profile.map(|p| format!("{}-", &sha1_hex(p)[..16]));
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name.ends_with(".json") && prefix.as_ref().is_none_or(|p| name.starts_with(p));
        if ours {
            std::fs::remove_file(entry.path())?;
            removed.push(entry.path());
        }
    }
    removed.sort();
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(profile: &str, expires_in: Duration) -> CachedSession {
        let creds = Credentials::new(
            "ASIA1",
            "secret",
            Some("token".into()),
            Some(SystemTime::now() + expires_in),
            "test",
        );
        CachedSession::new(
            profile,
            "arn:aws:iam::1:mfa/a",
            SessionKind::SessionToken,
            &creds,
        )
        .unwrap()
    }

    #[test]
    fn a_stored_session_is_private_reloaded_and_removed_by_profile() {
        let root = tempfile::tempdir().unwrap();
        let dir = dir(root.path());
        store(&dir, &session("ops", Duration::from_secs(3600))).unwrap();
        store(&dir, &session("other", Duration::from_secs(3600))).unwrap();
        let path = file(&dir, "ops", "arn:aws:iam::1:mfa/a");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        let loaded = load(&dir, "ops", "arn:aws:iam::1:mfa/a", Duration::from_secs(60)).unwrap();
        assert_eq!(loaded.credentials().access_key_id(), "ASIA1");
        assert!(load(&dir, "ops", "arn:aws:iam::1:mfa/b", Duration::ZERO).is_none());
        assert_eq!(remove(&dir, Some("ops")).unwrap(), [path]);
        assert!(load(&dir, "ops", "arn:aws:iam::1:mfa/a", Duration::ZERO).is_none());
        assert!(load(&dir, "other", "arn:aws:iam::1:mfa/a", Duration::ZERO).is_some());
        assert_eq!(remove(&dir, None).unwrap().len(), 1);
        assert!(remove(&root.path().join("none"), None).unwrap().is_empty());
    }

    #[test]
    fn a_session_about_to_end_is_not_reused_and_debug_shows_no_secret() {
        let root = tempfile::tempdir().unwrap();
        let s = session("ops", Duration::from_secs(30));
        store(root.path(), &s).unwrap();
        assert!(load(root.path(), "ops", &s.mfa_serial, Duration::from_secs(60)).is_none());
        let shown = format!("{s:?}");
        assert!(
            !shown.contains("secret") && !shown.contains("token"),
            "{shown}"
        );
    }
}
