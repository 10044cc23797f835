// SPDX-License-Identifier: GPL-3.0-or-later
// The wsk property file, the profile list and where keys are kept. No test needs a running
// keychain: key stores are injected, and the keychain probe is exercised against a session
// without D-Bus, where it must fall back to the key file and say so.
#include "profiles.h"
#include "wskprops.h"

#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <optional>
#include <sys/stat.h>

using namespace Feedscope;

namespace {

constexpr int waitMs = 30000; // an upper bound for a hang, not a performance expectation

template<typename T>
std::optional<Result<T>>
waitFor(const std::function<void(QObject *, std::function<void(Result<T>)>)> &call)
{
    QObject context;
    std::optional<Result<T>> result;
    call(&context, [&result](Result<T> r) { result.emplace(std::move(r)); });
    // Answers never arrive inside the call.
    if (result)
        return std::nullopt;
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, waitMs))
        return std::nullopt;
    return result;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

unsigned fileMode(const QString &path)
{
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return 0xffff;
    return unsigned(st.st_mode) & 0777u;
}

Profile remote(const QString &name,
               const QString &host,
               const QString &key,
               const QString &ns = QStringLiteral("_"))
{
    Profile p;
    p.name = name;
    p.endpoint.apiHost = host;
    p.endpoint.authKey = key;
    p.endpoint.ns = ns;
    return p;
}

} // namespace

class TestProfiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        // No session bus and nothing to autolaunch one: QtKeychain's Secret Service backend
        // (QtDBus or libsecret/GDBus) must fail fast, as on a headless machine. Set before
        // anything touches D-Bus, which caches the session connection.
        QVERIFY(m_noBus.isValid());
        qputenv("DBUS_SESSION_BUS_ADDRESS",
                "unix:path=" + QFile::encodeName(m_noBus.filePath(QStringLiteral("no-bus"))));
        qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_noBus.path()));
        qunsetenv("DISPLAY");
        qunsetenv("WAYLAND_DISPLAY");
    }

    void wskPropsRoundTripKeepsUnknownLines()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("wskprops"));
        QVERIFY(writeFile(path,
                          "# written by hand\n"
                          "APIHOST=https://whisk.example.org\n"
                          "AUTH = 11111111-2222-3333-4444-555555555555:secret=with=equals\n"
                          "\n"
                          "APIVERSION=v1\n"
                          "APIGW_ACCESS_TOKEN=token\n"));
        Result<WskProps> props = WskProps::load(path);
        QVERIFY(props);
        QCOMPARE(props->apiHost(), QStringLiteral("https://whisk.example.org"));
        // Split at the first '=', whitespace trimmed.
        QCOMPARE(props->auth(),
                 QStringLiteral("11111111-2222-3333-4444-555555555555:secret=with=equals"));
        QVERIFY(!props->contains(WskProps::namespaceKey));
        QCOMPARE(props->keys(),
                 (QStringList{QStringLiteral("APIHOST"),
                              QStringLiteral("AUTH"),
                              QStringLiteral("APIVERSION"),
                              QStringLiteral("APIGW_ACCESS_TOKEN")}));

        props.value().setValue(WskProps::apiHostKey, QStringLiteral("http://127.0.0.1:3233"));
        props.value().setValue(WskProps::namespaceKey, QStringLiteral("guest"));
        QVERIFY(props->save(path));

        QCOMPARE(readAll(path),
                 QByteArray("# written by hand\n"
                            "APIHOST=http://127.0.0.1:3233\n"
                            "AUTH = 11111111-2222-3333-4444-555555555555:secret=with=equals\n"
                            "\n"
                            "APIVERSION=v1\n"
                            "APIGW_ACCESS_TOKEN=token\n"
                            "NAMESPACE=guest\n"));
        const Result<WskProps> again = WskProps::load(path);
        QVERIFY(again);
        QCOMPARE(again->apiHost(), QStringLiteral("http://127.0.0.1:3233"));
        QCOMPARE(again->ns(), QStringLiteral("guest"));
        QCOMPARE(again->value(QStringLiteral("APIVERSION")), QStringLiteral("v1"));
        QCOMPARE(again->value(QStringLiteral("APIGW_ACCESS_TOKEN")), QStringLiteral("token"));
    }

    void wskPropsMissingFileIsEmptyAndNewFileIsPrivate()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sub/wskprops"));
        Result<WskProps> props = WskProps::load(path);
        QVERIFY(props);
        QVERIFY(props->keys().isEmpty());
        props.value().setValue(WskProps::authKey, QStringLiteral("u:k"));
        QVERIFY(props->save(path));
        QCOMPARE(readAll(path), QByteArray("AUTH=u:k\n"));
        QCOMPARE(fileMode(path), 0600u);
    }

    void wskConfigFileIsHonoured()
    {
        QTemporaryDir dir;
        const QString custom = dir.filePath(QStringLiteral("custom.props"));
        QVERIFY(writeFile(custom, "APIHOST=https://custom.example\nAUTH=a:b\n"));

        QProcessEnvironment home;
        home.insert(QStringLiteral("HOME"), dir.path());
        QCOMPARE(WskProps::defaultPath(home), dir.filePath(QStringLiteral(".wskprops")));

        qputenv("WSK_CONFIG_FILE", QFile::encodeName(custom));
        QCOMPARE(WskProps::defaultPath(), custom);

        // The built-in profile follows it, and hands out its key only through endpoint().
        ProfileStore store(
            dir.filePath(QStringLiteral("profiles.json")),
            std::make_unique<FileKeyStore>(dir.filePath(QStringLiteral("keys.json"))));
        qunsetenv("WSK_CONFIG_FILE");
        QCOMPARE(store.wskPropsPath(), custom);
        const auto listed = store.profile(ProfileStore::wskPropsName);
        QVERIFY(listed);
        QCOMPARE(listed->kind, Profile::Kind::WskProps);
        QCOMPARE(listed->endpoint.apiHost, QStringLiteral("https://custom.example"));
        QVERIFY(listed->endpoint.authKey.isEmpty());
        const auto full = waitFor<WhiskEndpoint>([&store](QObject *c, auto done) {
            store.endpoint(ProfileStore::wskPropsName, c, done);
        });
        QVERIFY(full && *full);
        QCOMPARE(full->value().authKey, QStringLiteral("a:b"));
    }

    void environmentOverridesFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("wskprops"));
        QVERIFY(writeFile(path, "APIHOST=file-host\nAUTH=file:key\nNAMESPACE=file-ns\n"));
        const Result<WskProps> props = WskProps::load(path);
        QVERIFY(props);

        QProcessEnvironment env;
        WhiskEndpoint e = endpointFrom(*props, env);
        QCOMPARE(e.apiHost, QStringLiteral("file-host"));
        QCOMPARE(e.authKey, QStringLiteral("file:key"));
        QCOMPARE(e.ns, QStringLiteral("file-ns"));

        env.insert(QStringLiteral("__OW_API_HOST"), QStringLiteral("http://env-host:1234"));
        env.insert(QStringLiteral("__OW_API_KEY"), QString()); // set but empty: no override
        e = endpointFrom(*props, env);
        QCOMPARE(e.apiHost, QStringLiteral("http://env-host:1234"));
        QCOMPARE(e.authKey, QStringLiteral("file:key"));
        QCOMPARE(e.ns, QStringLiteral("file-ns"));

        env.insert(QStringLiteral("__OW_API_KEY"), QStringLiteral("env:key"));
        env.insert(QStringLiteral("__OW_NAMESPACE"), QStringLiteral("env-ns"));
        e = endpointFrom(*props, env);
        QCOMPARE(e.authKey, QStringLiteral("env:key"));
        QCOMPARE(e.ns, QStringLiteral("env-ns"));

        // Neither gives a namespace: "_", the key's own.
        QCOMPARE(endpointFrom(WskProps(), QProcessEnvironment()).ns, QStringLiteral("_"));
    }

    void updatingWskPropsProfileRewritesOnlyItsKeys()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("wskprops"));
        QVERIFY(writeFile(path, "APIVERSION=v1\nAPIHOST=old\n"));
        ProfileStore store(
            dir.filePath(QStringLiteral("profiles.json")),
            std::make_unique<FileKeyStore>(dir.filePath(QStringLiteral("keys.json"))));
        store.setEnvironment(QProcessEnvironment());
        store.setWskPropsPath(path);
        Profile p;
        p.name = ProfileStore::wskPropsName;
        p.endpoint.apiHost = QStringLiteral("http://127.0.0.1:3233");
        p.endpoint.authKey = QStringLiteral("u:k");
        p.endpoint.ns = QStringLiteral("guest");
        const auto r = waitFor<Done>([&](QObject *c, auto done) { store.update(p, c, done); });
        QVERIFY(r && *r);
        QCOMPARE(readAll(path),
                 QByteArray(
                     "APIVERSION=v1\nAPIHOST=http://127.0.0.1:3233\nAUTH=u:k\nNAMESPACE=guest\n"));
        // Nothing of it went to the profile list or the key store.
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("profiles.json"))));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("keys.json"))));
    }

    void builtInProfilesAlwaysPresent()
    {
        QTemporaryDir dir;
        ProfileStore store(
            dir.filePath(QStringLiteral("profiles.json")),
            std::make_unique<FileKeyStore>(dir.filePath(QStringLiteral("keys.json"))));
        store.setEnvironment(QProcessEnvironment());
        store.setWskPropsPath(dir.filePath(QStringLiteral("none")));
        const QList<Profile> list = store.profiles();
        QCOMPARE(list.size(), 2);
        QCOMPARE(list.at(0).name, ProfileStore::localEngineName);
        QCOMPARE(list.at(0).kind, Profile::Kind::LocalEngine);
        QCOMPARE(list.at(0).endpoint.apiHost, QStringLiteral("http://127.0.0.1:3233"));
        QVERIFY(!list.at(0).endpoint.authKey.isEmpty());
        QCOMPARE(list.at(1).name, ProfileStore::wskPropsName);

        QSignalSpy changed(&store, &ProfileStore::profilesChanged);
        WhiskEndpoint moved = list.at(0).endpoint;
        moved.apiHost = QStringLiteral("http://127.0.0.1:40000");
        store.setLocalEngineEndpoint(moved);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(store.profiles().at(0).endpoint.apiHost, moved.apiHost);

        for (const QString &name : {ProfileStore::localEngineName, ProfileStore::wskPropsName}) {
            auto r = waitFor<Done>([&](QObject *c, auto done) { store.remove(name, c, done); });
            QVERIFY(r && !*r);
            r = waitFor<Done>(
                [&](QObject *c, auto done) { store.rename(name, QStringLiteral("x"), c, done); });
            QVERIFY(r && !*r);
            r = waitFor<Done>([&](QObject *c, auto done) {
                store.add(remote(name, QStringLiteral("h"), {}), c, done);
            });
            QVERIFY(r && !*r);
            QVERIFY2(r->error().message.contains(QLatin1String("built-in")),
                     qPrintable(r->error().message));
        }
        QCOMPARE(store.profiles().size(), 2);
    }

    void addRenameRemovePersistWithoutKeysInTheFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("config/profiles.json"));
        const QString keys = dir.filePath(QStringLiteral("config/keys.json"));
        const QString secretA = QStringLiteral("aaaa:secret-of-staging");
        const QString secretB = QStringLiteral("bbbb:secret-of-other");
        {
            ProfileStore store(path, std::make_unique<FileKeyStore>(keys));
            QVERIFY(store.keyStorageReady());
            QVERIFY(!store.usingKeychain());
            QCOMPARE(store.keyStorageNotice(),
                     QStringLiteral("Keys are stored in %1 (readable only by you).").arg(keys));
            QSignalSpy changed(&store, &ProfileStore::profilesChanged);

            auto r = waitFor<Done>([&](QObject *c, auto done) {
                store.add(remote(QStringLiteral("staging"),
                                 QStringLiteral("https://stage.example"),
                                 secretA,
                                 QStringLiteral("team")),
                          c,
                          done);
            });
            QVERIFY(r && *r);
            r = waitFor<Done>([&](QObject *c, auto done) {
                store.add(remote(QStringLiteral("other"),
                                 QStringLiteral("https://other.example"),
                                 secretB),
                          c,
                          done);
            });
            QVERIFY(r && *r);
            r = waitFor<Done>([&](QObject *c, auto done) {
                store.add(
                    remote(QStringLiteral("other"), QStringLiteral("https://x"), {}), c, done);
            });
            QVERIFY(r && !*r);
            QCOMPARE(r->error().message, QStringLiteral("A profile named 'other' already exists."));

            // rename and the endpoint read right after it go through one queue, in order.
            std::optional<Result<Done>> renamed;
            store.rename(QStringLiteral("staging"),
                         QStringLiteral("production"),
                         this,
                         [&renamed](Result<Done> result) { renamed.emplace(result); });
            QVERIFY(!renamed);
            const auto e = waitFor<WhiskEndpoint>([&](QObject *c, auto done) {
                store.endpoint(QStringLiteral("production"), c, done);
            });
            QVERIFY(renamed && *renamed);
            QVERIFY(e && *e);
            QCOMPARE(e->value().authKey, secretA);
            QCOMPARE(e->value().ns, QStringLiteral("team"));

            r = waitFor<Done>(
                [&](QObject *c, auto done) { store.remove(QStringLiteral("other"), c, done); });
            QVERIFY(r && *r);
            QCOMPARE(changed.size(), 4);
            QCOMPARE(store.names(),
                     (QStringList{ProfileStore::localEngineName,
                                  ProfileStore::wskPropsName,
                                  QStringLiteral("production")}));
        }

        const QByteArray json = readAll(path);
        QVERIFY(json.contains("production"));
        QVERIFY(json.contains("https://stage.example"));
        QVERIFY(!json.contains("secret"));
        QVERIFY(!json.contains("aaaa"));
        const QByteArray keyFile = readAll(keys);
        QVERIFY(keyFile.contains(secretA.toUtf8()));
        QVERIFY(!keyFile.contains(secretB.toUtf8())); // removed with its profile
        QVERIFY(!keyFile.contains("\"staging\""));    // moved with the rename
        QCOMPARE(fileMode(keys), 0600u);

        ProfileStore reopened(path, std::make_unique<FileKeyStore>(keys));
        QVERIFY(reopened.loadError().isEmpty());
        const auto p = reopened.profile(QStringLiteral("production"));
        QVERIFY(p);
        QCOMPARE(p->kind, Profile::Kind::Remote);
        QCOMPARE(p->endpoint.apiHost, QStringLiteral("https://stage.example"));
        QVERIFY(p->endpoint.authKey.isEmpty());
        QVERIFY(!reopened.profile(QStringLiteral("staging")));
        QVERIFY(!reopened.profile(QStringLiteral("other")));
        const auto e = waitFor<WhiskEndpoint>([&](QObject *c, auto done) {
            reopened.endpoint(QStringLiteral("production"), c, done);
        });
        QVERIFY(e && *e);
        QCOMPARE(e->value().authKey, secretA);

        // A new key replaces the stored one; an empty key in update() keeps it.
        Profile changedHost = *p;
        changedHost.endpoint.apiHost = QStringLiteral("https://prod.example");
        auto r
            = waitFor<Done>([&](QObject *c, auto done) { reopened.update(changedHost, c, done); });
        QVERIFY(r && *r);
        auto e2 = waitFor<WhiskEndpoint>([&](QObject *c, auto done) {
            reopened.endpoint(QStringLiteral("production"), c, done);
        });
        QVERIFY(e2 && *e2);
        QCOMPARE(e2->value().apiHost, QStringLiteral("https://prod.example"));
        QCOMPARE(e2->value().authKey, secretA);
    }

    void unreadableProfileListIsKeptAside()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("profiles.json"));
        QVERIFY(writeFile(path, "{ not json"));
        ProfileStore store(path, std::make_unique<FileKeyStore>(dir.filePath(QStringLiteral("k"))));
        QVERIFY(!store.loadError().isEmpty());
        QCOMPARE(store.profiles().size(), 2);
        const auto r = waitFor<Done>([&](QObject *c, auto done) {
            store.add(remote(QStringLiteral("p"), QStringLiteral("h"), {}), c, done);
        });
        QVERIFY(r && *r);
        QCOMPARE(readAll(path + QStringLiteral(".bad")), QByteArray("{ not json"));
        QVERIFY(store.loadError().isEmpty());
    }

    void destroyedContextDropsTheAnswer()
    {
        QTemporaryDir dir;
        ProfileStore store(
            dir.filePath(QStringLiteral("profiles.json")),
            std::make_unique<FileKeyStore>(dir.filePath(QStringLiteral("keys.json"))));
        bool called = false;
        auto *context = new QObject;
        store.add(remote(QStringLiteral("p"), QStringLiteral("h"), QStringLiteral("u:k")),
                  context,
                  [&called](const Result<Done> &) { called = true; });
        delete context;
        // A later call on the same queue answering proves the first one was processed.
        const auto e = waitFor<WhiskEndpoint>(
            [&](QObject *c, auto done) { store.endpoint(QStringLiteral("p"), c, done); });
        QVERIFY(e && *e);
        QCOMPARE(e->value().authKey, QStringLiteral("u:k"));
        QVERIFY(!called);
    }

    void keychainProbeFallsBackVisibly()
    {
        // The real QtKeychain, in a session without D-Bus (initTestCase).
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("profiles.json"));
        ProfileStore store(path);
        QVERIFY(!store.keyStorageReady());
        QVERIFY(store.keyStorageNotice().isEmpty());
        QSignalSpy ready(&store, &ProfileStore::keyStorageReadyChanged);

        // Key work asked for during the probe waits for its outcome.
        std::optional<Result<Done>> added;
        store.add(remote(QStringLiteral("early"),
                         QStringLiteral("https://e.example"),
                         QStringLiteral("e:key")),
                  this,
                  [&added](Result<Done> r) { added.emplace(r); });
        QVERIFY(ready.wait(waitMs));
        QVERIFY(store.keyStorageReady());
        QVERIFY(!store.usingKeychain());
        QVERIFY(!store.keychainError().isEmpty());
        qInfo("keychain probe: %s", qPrintable(store.keychainError()));
        const QString keyFile = dir.filePath(QStringLiteral("keys.json"));
        QCOMPARE(store.keyFilePath(), keyFile);
        QCOMPARE(store.keyStorageNotice(),
                 QStringLiteral("No keychain service is running: keys are stored in %1 (readable "
                                "only by you).")
                     .arg(keyFile));
        QTRY_VERIFY_WITH_TIMEOUT(added.has_value(), waitMs);
        QVERIFY2(*added, qPrintable(added->error().message));
        QCOMPARE(fileMode(keyFile), 0600u);
        QVERIFY(readAll(keyFile).contains("e:key"));
        QVERIFY(!readAll(path).contains("e:key"));
    }

private:
    QTemporaryDir m_noBus;
};

QTEST_GUILESS_MAIN(TestProfiles)
#include "tst_profiles.moc"
