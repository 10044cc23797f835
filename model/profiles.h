// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"
#include "whiskclient.h"

#include <QList>
#include <QObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace Feedscope {

// A place to talk to: a name and an endpoint. Lists hand out endpoints without the key of
// Remote and WskProps profiles (it lives in a key store or the property file);
// ProfileStore::endpoint() fills it in.
struct Profile
{
    enum class Kind {
        Remote,      // user-defined; host and namespace in profiles.json, key in the KeyStore
        LocalEngine, // built in: the feedscope-engine that LocalEngine starts or attaches to
        WskProps,    // built in: mirrors the wsk CLI's property file and __OW_* variables
    };

    QString name;
    WhiskEndpoint endpoint;
    Kind kind = Kind::Remote;
};

// Where API keys are kept, one secret per account (the profile name). Every call answers once,
// never from inside the call, through the context object: a destroyed context drops the answer.
// A missing entry reads as an empty key, not an error. Writing an empty key removes the entry.
// (The key stores live beside ProfileStore in this file: they only exist for it.)
class KeyStore
{
public:
    virtual ~KeyStore() = default;

    virtual void
    readKey(const QString &account, QObject *context, std::function<void(Result<QString>)> done)
        = 0;
    virtual void writeKey(const QString &account,
                          const QString &key,
                          QObject *context,
                          std::function<void(Result<Done>)> done)
        = 0;
    virtual void
    removeKey(const QString &account, QObject *context, std::function<void(Result<Done>)> done)
        = 0;

    virtual bool isKeychain() const = 0;
    // For the UI and the log: "the system keychain (service feedscope)" or the file's path.
    virtual QString location() const = 0;
};

// The OS keychain through QtKeychain (Secret Service / KWallet on Linux, Keychain on macOS,
// Credential Manager on Windows). QtKeychain runs its jobs one after another, so calls complete
// in the order they were made.
class KeychainKeyStore : public KeyStore
{
public:
    explicit KeychainKeyStore(QString service = QStringLiteral("feedscope"));

    void readKey(const QString &account,
                 QObject *context,
                 std::function<void(Result<QString>)> done) override;
    void writeKey(const QString &account,
                  const QString &key,
                  QObject *context,
                  std::function<void(Result<Done>)> done) override;
    void removeKey(const QString &account,
                   QObject *context,
                   std::function<void(Result<Done>)> done) override;

    bool isKeychain() const override { return true; }
    QString location() const override;
    QString service() const { return m_service; }

    // Writes, reads back and deletes a probe entry. QtKeychain fails fast when no Secret
    // Service is reachable on D-Bus (no session bus, or nothing owning org.freedesktop.secrets),
    // so this answers quickly in a headless session. `done` gets an empty string on success,
    // else QtKeychain's reason.
    static void
    probe(const QString &service, QObject *context, std::function<void(QString error)> done);

private:
    QString m_service;
};

// The fallback when no keychain runs: a JSON file {"keys": {account: key}} created with mode
// 0600 (owner read/write only) and replaced atomically on every write. Plain text on disk, which
// is why ProfileStore says so visibly (keyStorageNotice()).
class FileKeyStore : public KeyStore
{
public:
    explicit FileKeyStore(QString path);

    void readKey(const QString &account,
                 QObject *context,
                 std::function<void(Result<QString>)> done) override;
    void writeKey(const QString &account,
                  const QString &key,
                  QObject *context,
                  std::function<void(Result<Done>)> done) override;
    void removeKey(const QString &account,
                   QObject *context,
                   std::function<void(Result<Done>)> done) override;

    bool isKeychain() const override { return false; }
    QString location() const override { return m_path; }
    QString path() const { return m_path; }

private:
    Result<Done> store(const QString &account, const QString &key);

    QString m_path;
};

// The profiles the user can switch between, persisted in a JSON file (default
// AppConfigLocation/profiles.json) that never contains a key.
//
// Always present, first and in this order: the built-in "Local engine" (the guest key of a
// feedscope-engine, whose address setLocalEngineEndpoint() keeps current) and "~/.wskprops"
// (read from WskProps::defaultPath() with the __OW_* overrides on every call, written back by
// update()). Built-in profiles cannot be added, renamed or removed.
//
// Changes to names, hosts and namespaces apply at once (profiles() and profilesChanged() show
// them immediately, the file is rewritten synchronously). Key work is asynchronous and runs
// strictly in call order through one queue, so endpoint() right after rename() sees the moved
// key. Each mutation answers once through its context object, never from inside the call.
//
// Key storage: an injected KeyStore is used as is. Without one, the store probes the OS keychain
// once (KeychainKeyStore::probe) and falls back to a FileKeyStore (keys.json next to the
// profiles file) when it fails; key calls made meanwhile wait in the queue.
// keyStorageReady() tells when that is settled, keyStorageNotice() what the user should know.
class ProfileStore : public QObject
{
    Q_OBJECT

public:
    template<typename T>
    using Callback = std::function<void(Result<T>)>;

    static inline const QString localEngineName = QStringLiteral("Local engine");
    static inline const QString wskPropsName = QStringLiteral("~/.wskprops");

    static QString defaultPath();

    explicit ProfileStore(const QString &path = defaultPath(),
                          std::unique_ptr<KeyStore> keyStore = {},
                          QObject *parent = nullptr);
    ~ProfileStore() override;

    QString path() const { return m_path; }
    // Why profiles.json could not be read ("" when it could). The unreadable file is moved to
    // profiles.json.bad on the next save rather than overwritten.
    QString loadError() const { return m_loadError; }

    // Where the "~/.wskprops" profile comes from; defaults to WskProps::defaultPath() and the
    // process environment (tests point both elsewhere).
    void setEnvironment(const QProcessEnvironment &environment);
    void setWskPropsPath(const QString &path) { m_wskPropsPath = path; }
    QString wskPropsPath() const;
    void setLocalEngineEndpoint(const WhiskEndpoint &endpoint);

    QList<Profile> profiles() const;
    QStringList names() const;
    std::optional<Profile> profile(const QString &name) const;

    // A new Remote profile; its endpoint's key (if any) goes to the key store.
    void add(const Profile &profile, QObject *context, Callback<Done> done);
    // New host / namespace / key for an existing profile. An empty key keeps the stored one.
    // For "~/.wskprops" this rewrites APIHOST, AUTH and NAMESPACE in the property file, keeping
    // every other line; an __OW_* variable still overrides what was written.
    void update(const Profile &profile, QObject *context, Callback<Done> done);
    void rename(const QString &from, const QString &to, QObject *context, Callback<Done> done);
    void remove(const QString &name, QObject *context, Callback<Done> done);
    // The full endpoint, key included.
    void endpoint(const QString &name, QObject *context, Callback<WhiskEndpoint> done);

    bool keyStorageReady() const { return m_keyStore != nullptr; }
    bool usingKeychain() const { return m_keyStore && m_keyStore->isKeychain(); }
    // "" while keys go to the keychain (or the probe is still running); otherwise a sentence for
    // the status bar naming the file, e.g. "No keychain service is running: keys are stored in
    // /home/u/.config/feedscope/keys.json (readable only by you)."
    QString keyStorageNotice() const;
    // QtKeychain's reason when the probe failed, for the log.
    QString keychainError() const { return m_keychainError; }
    QString keyFilePath() const;

Q_SIGNALS:
    void profilesChanged();
    void keyStorageReadyChanged();

private:
    struct Stored
    {
        QString name;
        QString apiHost;
        QString ns;
    };
    using Step = std::function<void(std::function<void()> next)>;

    void load();
    Result<Done> save();
    int indexOf(const QString &name) const;
    std::optional<QString> nameError(const QString &name) const;
    void setKeyStore(std::unique_ptr<KeyStore> keyStore);
    void enqueue(Step step);
    void runQueue();

    QString m_path;
    QString m_loadError;
    QList<Stored> m_profiles;
    std::unique_ptr<KeyStore> m_keyStore;
    QString m_keychainError; // non-empty: the probe failed and keys went to the file
    QProcessEnvironment m_environment = QProcessEnvironment::systemEnvironment();
    QString m_wskPropsPath;
    WhiskEndpoint m_localEngine;
    QList<Step> m_queue;
    bool m_stepRunning = false;
};

} // namespace Feedscope
