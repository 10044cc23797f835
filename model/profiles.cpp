// SPDX-License-Identifier: GPL-3.0-or-later
#include "profiles.h"

#include "guardedcallback.h"
#include "localengine.h"
#include "wskprops.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUuid>

#include <qt6keychain/keychain.h>

namespace Feedscope {

namespace {

const QString keychainProbeAccount = QStringLiteral("feedscope-keychain-probe");

WhiskError localError(const QString &message)
{
    WhiskError error;
    error.kind = WhiskError::Kind::Protocol;
    error.message = message;
    return error;
}

// One answer through a context object: posted to the event loop so it never runs inside the
// call that asked, and dropped when the context is destroyed before it is delivered.
template<typename T>
class Reply
{
public:
    Reply(QObject *context, std::function<void(Result<T>)> done)
        : m_answer(context, std::move(done))
    {}

    void operator()(const Result<T> &result) const
    {
        m_answer.post(QCoreApplication::instance(), result);
    }

private:
    GuardedCallback<Result<T>> m_answer;
};

// QtKeychain's job answers arrive on the job (it deletes itself afterwards); `extract` turns
// the finished job into a result while it still exists.
template<typename T, typename Job, typename Extract>
void runJob(Job *job, QObject *context, std::function<void(Result<T>)> done, Extract extract)
{
    job->setAutoDelete(true);
    const Reply<T> reply(context, std::move(done));
    QObject::connect(
        job, &QKeychain::Job::finished, job, [reply, extract](QKeychain::Job *finished) {
            reply(extract(static_cast<Job *>(finished)));
        });
    job->start();
}

WhiskError keychainError(const QString &what, const QKeychain::Job *job)
{
    return localError(
        QStringLiteral("%1 in the keychain failed: %2").arg(what, job->errorString()));
}

} // namespace

// KeychainKeyStore

KeychainKeyStore::KeychainKeyStore(QString service)
    : m_service(std::move(service))
{}

QString KeychainKeyStore::location() const
{
    return QStringLiteral("the system keychain (service %1)").arg(m_service);
}

void KeychainKeyStore::readKey(const QString &account,
                               QObject *context,
                               std::function<void(Result<QString>)> done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service);
    job->setKey(account);
    runJob<QString>(job,
                    context,
                    std::move(done),
                    [account](QKeychain::ReadPasswordJob *job) -> Result<QString> {
                        if (job->error() == QKeychain::EntryNotFound)
                            return QString();
                        if (job->error() != QKeychain::NoError)
                            return keychainError(
                                QStringLiteral("Reading the key of '%1'").arg(account), job);
                        return job->textData();
                    });
}

void KeychainKeyStore::writeKey(const QString &account,
                                const QString &key,
                                QObject *context,
                                std::function<void(Result<Done>)> done)
{
    if (key.isEmpty()) {
        removeKey(account, context, std::move(done));
        return;
    }
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setKey(account);
    job->setTextData(key);
    runJob<Done>(
        job, context, std::move(done), [account](QKeychain::WritePasswordJob *job) -> Result<Done> {
            if (job->error() != QKeychain::NoError)
                return keychainError(QStringLiteral("Storing the key of '%1'").arg(account), job);
            return Done{};
        });
}

void KeychainKeyStore::removeKey(const QString &account,
                                 QObject *context,
                                 std::function<void(Result<Done>)> done)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service);
    job->setKey(account);
    runJob<Done>(
        job,
        context,
        std::move(done),
        [account](QKeychain::DeletePasswordJob *job) -> Result<Done> {
            if (job->error() != QKeychain::NoError && job->error() != QKeychain::EntryNotFound)
                return keychainError(QStringLiteral("Deleting the key of '%1'").arg(account), job);
            return Done{};
        });
}

void KeychainKeyStore::probe(const QString &service,
                             QObject *context,
                             std::function<void(QString)> done)
{
    // A round trip rather than a read: a read of a missing entry can succeed on a keychain
    // that then refuses writes (read-only or locked collections).
    auto store = std::make_shared<KeychainKeyStore>(service);
    const QString nonce = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const auto finish = [done = std::move(done)](const QString &error) {
        done(error);
    };
    store->writeKey(keychainProbeAccount,
                    nonce,
                    context,
                    [store, nonce, context, finish](const Result<Done> &written) {
                        if (!written) {
                            finish(written.error().message);
                            return;
                        }
                        store->readKey(
                            keychainProbeAccount,
                            context,
                            [store, nonce, context, finish](const Result<QString> &read) {
                                if (!read) {
                                    finish(read.error().message);
                                    return;
                                }
                                store->removeKey(keychainProbeAccount, context, {});
                                finish(*read == nonce ? QString()
                                                      : QStringLiteral("the keychain did not "
                                                                       "return what was stored"));
                            });
                    });
}

// FileKeyStore

namespace {

Result<QJsonObject> readKeyFile(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return QJsonObject();
    if (!file.open(QIODevice::ReadOnly))
        return localError(QStringLiteral("Reading %1 failed: %2").arg(path, file.errorString()));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return localError(QStringLiteral("%1 is not a key file (%2); it was left untouched.")
                              .arg(path, parseError.errorString()));
    return doc.object().value(QLatin1String("keys")).toObject();
}

} // namespace

FileKeyStore::FileKeyStore(QString path)
    : m_path(std::move(path))
{}

void FileKeyStore::readKey(const QString &account,
                           QObject *context,
                           std::function<void(Result<QString>)> done)
{
    const Result<QJsonObject> keys = readKeyFile(m_path);
    const Reply<QString> reply(context, std::move(done));
    if (!keys)
        reply(keys.error());
    else
        reply(keys->value(account).toString());
}

void FileKeyStore::writeKey(const QString &account,
                            const QString &key,
                            QObject *context,
                            std::function<void(Result<Done>)> done)
{
    Reply<Done>(context, std::move(done))(store(account, key));
}

void FileKeyStore::removeKey(const QString &account,
                             QObject *context,
                             std::function<void(Result<Done>)> done)
{
    Reply<Done>(context, std::move(done))(store(account, QString()));
}

Result<Done> FileKeyStore::store(const QString &account, const QString &key)
{
    Result<QJsonObject> keys = readKeyFile(m_path);
    if (!keys)
        return keys.error();
    if (key.isEmpty()) {
        if (!keys->contains(account))
            return Done{};
        keys.value().remove(account);
    } else {
        keys.value().insert(account, key);
    }
    const QString directory = QFileInfo(m_path).absolutePath();
    if (!QDir().mkpath(directory))
        return localError(
            QStringLiteral("Writing %1 failed: cannot create %2").arg(m_path, directory));
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return localError(QStringLiteral("Writing %1 failed: %2").arg(m_path, file.errorString()));
    // Set on the temporary file before any key is written to it, so no key is ever on disk
    // with the umask's permissions.
    const auto ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    file.setPermissions(ownerOnly);
    file.write(QJsonDocument(QJsonObject{{QStringLiteral("keys"), *keys}}).toJson());
    if (!file.commit())
        return localError(QStringLiteral("Writing %1 failed: %2").arg(m_path, file.errorString()));
    QFile::setPermissions(m_path, ownerOnly);
    return Done{};
}

// ProfileStore

QString ProfileStore::defaultPath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation))
        .filePath(QStringLiteral("profiles.json"));
}

ProfileStore::ProfileStore(const QString &path, std::unique_ptr<KeyStore> keyStore, QObject *parent)
    : QObject(parent)
    , m_path(path)
{
    m_localEngine.apiHost = QStringLiteral("http://127.0.0.1:%1").arg(LocalEngine::defaultPort);
    m_localEngine.authKey = LocalEngine::guestKey();
    m_localEngine.ns = QStringLiteral("guest");
    load();
    if (keyStore) {
        m_keyStore = std::move(keyStore);
        return;
    }
    KeychainKeyStore::probe(QStringLiteral("feedscope"), this, [this](const QString &error) {
        if (error.isEmpty()) {
            setKeyStore(std::make_unique<KeychainKeyStore>());
            return;
        }
        m_keychainError = error;
        setKeyStore(std::make_unique<FileKeyStore>(keyFilePath()));
    });
}

ProfileStore::~ProfileStore() = default;

void ProfileStore::setEnvironment(const QProcessEnvironment &environment)
{
    m_environment = environment;
}

QString ProfileStore::wskPropsPath() const
{
    return m_wskPropsPath.isEmpty() ? WskProps::defaultPath(m_environment) : m_wskPropsPath;
}

void ProfileStore::setLocalEngineEndpoint(const WhiskEndpoint &endpoint)
{
    m_localEngine = endpoint;
    Q_EMIT profilesChanged();
}

QString ProfileStore::keyFilePath() const
{
    return QFileInfo(m_path).dir().filePath(QStringLiteral("keys.json"));
}

QString ProfileStore::keyStorageNotice() const
{
    if (!m_keyStore || m_keyStore->isKeychain())
        return {};
    const QString where = m_keyStore->location();
    if (!m_keychainError.isEmpty())
        return QStringLiteral("No keychain service is running: keys are stored in %1 (readable "
                              "only by you).")
            .arg(where);
    return QStringLiteral("Keys are stored in %1 (readable only by you).").arg(where);
}

QList<Profile> ProfileStore::profiles() const
{
    QList<Profile> list;
    list.append(Profile{localEngineName, m_localEngine, Profile::Kind::LocalEngine});

    const Result<WskProps> props = WskProps::load(wskPropsPath());
    WhiskEndpoint fromFile = endpointFrom(props ? *props : WskProps(), m_environment);
    fromFile.authKey.clear();
    list.append(Profile{wskPropsName, fromFile, Profile::Kind::WskProps});

    for (const Stored &stored : m_profiles) {
        WhiskEndpoint endpoint;
        endpoint.apiHost = stored.apiHost;
        if (!stored.ns.isEmpty())
            endpoint.ns = stored.ns;
        list.append(Profile{stored.name, endpoint, Profile::Kind::Remote});
    }
    return list;
}

QStringList ProfileStore::names() const
{
    QStringList names{localEngineName, wskPropsName};
    for (const Stored &stored : m_profiles)
        names.append(stored.name);
    return names;
}

std::optional<Profile> ProfileStore::profile(const QString &name) const
{
    for (const Profile &profile : profiles()) {
        if (profile.name == name)
            return profile;
    }
    return std::nullopt;
}

void ProfileStore::add(const Profile &profile, QObject *context, Callback<Done> done)
{
    const Reply<Done> reply(context, std::move(done));
    const QString name = profile.name.trimmed();
    if (const auto error = nameError(name)) {
        reply(localError(*error));
        return;
    }
    if (profile.endpoint.apiHost.trimmed().isEmpty()) {
        reply(localError(QStringLiteral("Profile '%1' needs an API host.").arg(name)));
        return;
    }
    m_profiles.append(Stored{name, profile.endpoint.apiHost.trimmed(), profile.endpoint.ns});
    if (const Result<Done> saved = save(); !saved) {
        m_profiles.removeLast();
        reply(saved);
        return;
    }
    Q_EMIT profilesChanged();
    const QString key = profile.endpoint.authKey;
    enqueue([this, name, key, reply](const std::function<void()> &next) {
        if (key.isEmpty()) {
            reply(Done{});
            next();
            return;
        }
        m_keyStore->writeKey(name, key, this, [reply, next](const Result<Done> &written) {
            reply(written);
            next();
        });
    });
}

void ProfileStore::update(const Profile &profile, QObject *context, Callback<Done> done)
{
    const Reply<Done> reply(context, std::move(done));
    if (profile.name == localEngineName) {
        reply(localError(QStringLiteral("The Local engine profile is built in; its address "
                                        "comes from the running engine.")));
        return;
    }
    if (profile.name == wskPropsName) {
        const QString path = wskPropsPath();
        Result<WskProps> props = WskProps::load(path);
        if (!props) {
            reply(props.error());
            return;
        }
        const WhiskEndpoint &endpoint = profile.endpoint;
        if (!endpoint.apiHost.isEmpty())
            props.value().setValue(WskProps::apiHostKey, endpoint.apiHost);
        if (!endpoint.authKey.isEmpty())
            props.value().setValue(WskProps::authKey, endpoint.authKey);
        if (endpoint.ns.isEmpty())
            props.value().remove(WskProps::namespaceKey);
        else
            props.value().setValue(WskProps::namespaceKey, endpoint.ns);
        const Result<Done> saved = props->save(path);
        if (saved)
            Q_EMIT profilesChanged();
        reply(saved);
        return;
    }
    const int i = indexOf(profile.name);
    if (i < 0) {
        reply(localError(QStringLiteral("There is no profile named '%1'.").arg(profile.name)));
        return;
    }
    if (profile.endpoint.apiHost.trimmed().isEmpty()) {
        reply(localError(QStringLiteral("Profile '%1' needs an API host.").arg(profile.name)));
        return;
    }
    const Stored before = m_profiles.at(i);
    m_profiles[i].apiHost = profile.endpoint.apiHost.trimmed();
    m_profiles[i].ns = profile.endpoint.ns;
    if (const Result<Done> saved = save(); !saved) {
        m_profiles[i] = before;
        reply(saved);
        return;
    }
    Q_EMIT profilesChanged();
    const QString name = profile.name;
    const QString key = profile.endpoint.authKey;
    enqueue([this, name, key, reply](const std::function<void()> &next) {
        if (key.isEmpty()) {
            reply(Done{});
            next();
            return;
        }
        m_keyStore->writeKey(name, key, this, [reply, next](const Result<Done> &written) {
            reply(written);
            next();
        });
    });
}

void ProfileStore::rename(const QString &from,
                          const QString &to,
                          QObject *context,
                          Callback<Done> done)
{
    const Reply<Done> reply(context, std::move(done));
    const QString name = to.trimmed();
    if (from == localEngineName || from == wskPropsName) {
        reply(localError(QStringLiteral("'%1' is built in and cannot be renamed.").arg(from)));
        return;
    }
    const int i = indexOf(from);
    if (i < 0) {
        reply(localError(QStringLiteral("There is no profile named '%1'.").arg(from)));
        return;
    }
    if (name == from) {
        reply(Done{});
        return;
    }
    if (const auto error = nameError(name)) {
        reply(localError(*error));
        return;
    }
    m_profiles[i].name = name;
    if (const Result<Done> saved = save(); !saved) {
        m_profiles[i].name = from;
        reply(saved);
        return;
    }
    Q_EMIT profilesChanged();
    // The key follows the name: read, write under the new name, then delete the old entry.
    enqueue([this, from, name, reply](const std::function<void()> &next) {
        m_keyStore->readKey(
            from, this, [this, from, name, reply, next](const Result<QString> &key) {
                if (!key || key->isEmpty()) {
                    reply(key ? Result<Done>(Done{}) : Result<Done>(key.error()));
                    next();
                    return;
                }
                m_keyStore->writeKey(
                    name, *key, this, [this, from, reply, next](const Result<Done> &written) {
                        if (!written) {
                            reply(written);
                            next();
                            return;
                        }
                        m_keyStore->removeKey(from, this, [reply, next](const Result<Done> &r) {
                            reply(r);
                            next();
                        });
                    });
            });
    });
}

void ProfileStore::remove(const QString &name, QObject *context, Callback<Done> done)
{
    const Reply<Done> reply(context, std::move(done));
    if (name == localEngineName || name == wskPropsName) {
        reply(localError(QStringLiteral("'%1' is built in and cannot be removed.").arg(name)));
        return;
    }
    const int i = indexOf(name);
    if (i < 0) {
        reply(localError(QStringLiteral("There is no profile named '%1'.").arg(name)));
        return;
    }
    const Stored removed = m_profiles.takeAt(i);
    if (const Result<Done> saved = save(); !saved) {
        m_profiles.insert(i, removed);
        reply(saved);
        return;
    }
    Q_EMIT profilesChanged();
    enqueue([this, name, reply](const std::function<void()> &next) {
        m_keyStore->removeKey(name, this, [reply, next](const Result<Done> &r) {
            reply(r);
            next();
        });
    });
}

void ProfileStore::endpoint(const QString &name, QObject *context, Callback<WhiskEndpoint> done)
{
    const Reply<WhiskEndpoint> reply(context, std::move(done));
    if (name == localEngineName) {
        reply(m_localEngine);
        return;
    }
    if (name == wskPropsName) {
        const Result<WskProps> props = WskProps::load(wskPropsPath());
        if (!props)
            reply(props.error());
        else
            reply(endpointFrom(*props, m_environment));
        return;
    }
    const std::optional<Profile> found = profile(name);
    if (!found) {
        reply(localError(QStringLiteral("There is no profile named '%1'.").arg(name)));
        return;
    }
    const WhiskEndpoint partial = found->endpoint;
    enqueue([this, name, partial, reply](const std::function<void()> &next) {
        m_keyStore->readKey(name, this, [partial, reply, next](const Result<QString> &key) {
            if (!key) {
                reply(key.error());
            } else {
                WhiskEndpoint endpoint = partial;
                endpoint.authKey = *key;
                reply(endpoint);
            }
            next();
        });
    });
}

void ProfileStore::load()
{
    QFile file(m_path);
    if (!file.exists())
        return;
    if (!file.open(QIODevice::ReadOnly)) {
        m_loadError = QStringLiteral("Reading %1 failed: %2").arg(m_path, file.errorString());
        return;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        m_loadError = QStringLiteral("%1 is not a profile list (%2); it will be kept as %1.bad.")
                          .arg(m_path, parseError.errorString());
        return;
    }
    const QJsonArray list = doc.object().value(QLatin1String("profiles")).toArray();
    for (const QJsonValue &value : list) {
        const QJsonObject o = value.toObject();
        const QString name = o.value(QLatin1String("name")).toString().trimmed();
        if (name.isEmpty() || indexOf(name) >= 0 || name == localEngineName || name == wskPropsName)
            continue;
        m_profiles.append(Stored{name,
                                 o.value(QLatin1String("apiHost")).toString(),
                                 o.value(QLatin1String("namespace")).toString()});
    }
}

Result<Done> ProfileStore::save()
{
    if (!m_loadError.isEmpty() && QFile::exists(m_path)) {
        // Do not overwrite what we could not read: the user may want it back.
        const QString bad = m_path + QStringLiteral(".bad");
        QFile::remove(bad);
        QFile::rename(m_path, bad);
    }
    m_loadError.clear();
    QJsonArray list;
    for (const Stored &stored : m_profiles) {
        // Never a key: this file is ordinary configuration, copied and shared as such.
        list.append(QJsonObject{{QStringLiteral("name"), stored.name},
                                {QStringLiteral("apiHost"), stored.apiHost},
                                {QStringLiteral("namespace"), stored.ns}});
    }
    const QString directory = QFileInfo(m_path).absolutePath();
    if (!QDir().mkpath(directory))
        return localError(
            QStringLiteral("Writing %1 failed: cannot create %2").arg(m_path, directory));
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return localError(QStringLiteral("Writing %1 failed: %2").arg(m_path, file.errorString()));
    file.write(QJsonDocument(
                   QJsonObject{{QStringLiteral("version"), 1}, {QStringLiteral("profiles"), list}})
                   .toJson());
    if (!file.commit())
        return localError(QStringLiteral("Writing %1 failed: %2").arg(m_path, file.errorString()));
    return Done{};
}

int ProfileStore::indexOf(const QString &name) const
{
    for (int i = 0; i < m_profiles.size(); ++i) {
        if (m_profiles.at(i).name == name)
            return i;
    }
    return -1;
}

std::optional<QString> ProfileStore::nameError(const QString &name) const
{
    if (name.isEmpty())
        return QStringLiteral("A profile needs a name.");
    if (name == localEngineName || name == wskPropsName)
        return QStringLiteral("'%1' is the name of a built-in profile.").arg(name);
    if (indexOf(name) >= 0)
        return QStringLiteral("A profile named '%1' already exists.").arg(name);
    return std::nullopt;
}

void ProfileStore::setKeyStore(std::unique_ptr<KeyStore> keyStore)
{
    m_keyStore = std::move(keyStore);
    Q_EMIT keyStorageReadyChanged();
    runQueue();
}

void ProfileStore::enqueue(Step step)
{
    m_queue.append(std::move(step));
    runQueue();
}

void ProfileStore::runQueue()
{
    if (!m_keyStore || m_stepRunning || m_queue.isEmpty())
        return;
    m_stepRunning = true;
    const Step step = m_queue.takeFirst();
    step([this] {
        m_stepRunning = false;
        runQueue();
    });
}

} // namespace Feedscope
