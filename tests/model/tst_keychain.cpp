// SPDX-License-Identifier: GPL-3.0-or-later
// The keychain path of the profiles (model/profiles.h) against a real Secret Service:
// gnome-keyring-daemon on a private D-Bus session (tests/model/keychain-session.sh). The probe
// succeeds, keys are written, read, moved and removed through QtKeychain, and neither the
// profiles file nor a key file holds them.
#include "profiles.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Feedscope;

namespace {

bool waitFor(const std::function<bool()> &condition)
{
    QDeadlineTimer deadline(30000);
    while (!condition() && !deadline.hasExpired())
        QTest::qWait(20);
    return condition();
}

template<typename T>
std::optional<Result<T>>
await(const std::function<void(QObject *, std::function<void(Result<T>)>)> &call)
{
    QObject context;
    std::optional<Result<T>> result;
    call(&context, [&result](Result<T> r) { result.emplace(std::move(r)); });
    waitFor([&] { return result.has_value(); });
    return result;
}

} // namespace

class TestKeychain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
                 "run through tests/model/keychain-session.sh under dbus-run-session");
    }

    void probeFindsTheSecretService()
    {
        std::optional<QString> error;
        QObject context;
        KeychainKeyStore::probe(
            QStringLiteral("feedscope-test"), &context, [&](const QString &e) { error = e; });
        QVERIFY(waitFor([&] { return error.has_value(); }));
        QVERIFY2(error->isEmpty(), qPrintable(*error));
    }

    void keysLiveInTheKeychain()
    {
        QTemporaryDir dir;
        ProfileStore store(dir.filePath(QStringLiteral("profiles.json")));
        QVERIFY(waitFor([&] { return store.keyStorageReady(); }));
        QVERIFY2(store.usingKeychain(), qPrintable(store.keychainError()));
        QVERIFY(store.keyStorageNotice().isEmpty());

        Profile p;
        p.name = QStringLiteral("prod");
        p.endpoint = WhiskEndpoint{QStringLiteral("https://whisk.example.com"),
                                   QStringLiteral("uuid-1:keychain-secret"),
                                   QStringLiteral("team")};
        auto added = await<Done>([&](QObject *c, auto done) { store.add(p, c, done); });
        QVERIFY(added && *added);
        auto endpoint = await<WhiskEndpoint>(
            [&](QObject *c, auto done) { store.endpoint(QStringLiteral("prod"), c, done); });
        QVERIFY(endpoint && *endpoint);
        QCOMPARE((*endpoint)->authKey, QStringLiteral("uuid-1:keychain-secret"));

        // In the keychain itself, under the profile's name: a second store reads it back.
        KeychainKeyStore keychain;
        auto read = await<QString>(
            [&](QObject *c, auto done) { keychain.readKey(QStringLiteral("prod"), c, done); });
        QVERIFY(read && *read);
        QCOMPARE(read->value(), QStringLiteral("uuid-1:keychain-secret"));

        // Nowhere on disk in clear.
        QFile profiles(store.path());
        QVERIFY(profiles.open(QIODevice::ReadOnly));
        QVERIFY(!profiles.readAll().contains("keychain-secret"));
        QVERIFY(!QFile::exists(store.keyFilePath()));

        // A rename moves the key, a removal deletes it.
        auto renamed = await<Done>([&](QObject *c, auto done) {
            store.rename(QStringLiteral("prod"), QStringLiteral("live"), c, done);
        });
        QVERIFY(renamed && *renamed);
        read = await<QString>(
            [&](QObject *c, auto done) { keychain.readKey(QStringLiteral("live"), c, done); });
        QCOMPARE(read->value(), QStringLiteral("uuid-1:keychain-secret"));
        read = await<QString>(
            [&](QObject *c, auto done) { keychain.readKey(QStringLiteral("prod"), c, done); });
        QVERIFY(read && *read);
        QVERIFY(read->value().isEmpty());
        auto removed = await<Done>(
            [&](QObject *c, auto done) { store.remove(QStringLiteral("live"), c, done); });
        QVERIFY(removed && *removed);
        read = await<QString>(
            [&](QObject *c, auto done) { keychain.readKey(QStringLiteral("live"), c, done); });
        QVERIFY(read->value().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestKeychain)
#include "tst_keychain.moc"
