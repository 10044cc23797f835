// SPDX-License-Identifier: GPL-3.0-or-later
// The HTTP journal of WhiskClient against a real feedscope-engine (STYLE.md 11-13): every call
// is recorded without the key, with a capacity and a body limit, and replays as curl.
#include "feedlifecycle.h"
#include "lifecyclejournal.h"
#include "operationtesting.h"
#include "whiskclienttesthelpers.h"

#include <QTest>

using namespace Feedscope;
using namespace Feedscope::Testing;
using namespace Qt::StringLiterals;

namespace {

// Runs a "copy as curl" line with the key in $OW_AUTH; the HTTP status, the body in `out`.
int runCurl(const QString &command, QByteArray *out)
{
    QProcess bash;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"OW_AUTH"_s, QString::fromLatin1(guestKey));
    bash.setProcessEnvironment(env);
    bash.start(u"bash"_s, {u"-c"_s, command + u" -s -w '\\n%{http_code}'"_s});
    if (!bash.waitForFinished(30000))
        return -1;
    const QByteArray all = bash.readAllStandardOutput();
    const qsizetype nl = all.lastIndexOf('\n');
    *out = all.left(nl);
    return bash.exitCode() == 0 ? all.mid(nl + 1).toInt() : -bash.exitCode();
}

} // namespace

class TestHttpJournal : public QObject, private WhiskClientFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString())); }

    void init()
    {
        m_client = std::make_unique<WhiskClient>();
        m_client->setEndpoint(endpoint());
    }

    void cleanup() { m_client.reset(); }

    // ---------------------------------------------------------------- journal

    void journalRecordsEveryCall()
    {
        HttpJournal *journal = m_client->journal();
        journal->clear();
        QSignalSpy added(journal, &HttpJournal::entryAdded);

        Action a = nodeActionEntity(u"function main(p){return p}"_s);
        auto put = await<Action>([&](QObject *ctx, auto done) {
            m_client->putAction(qn(u"journaled"_s), a, false, ctx, done);
        });
        VERIFY_OK(put);
        auto missing = await<Action>([&](QObject *ctx, auto done) {
            m_client->getAction(qn(u"journal-missing"_s), false, ctx, done);
        });
        VERIFY_FAILED(missing);
        auto ns = await<QStringList>(
            [&](QObject *ctx, auto done) { m_client->listNamespaces(ctx, done); });
        VERIFY_OK(ns);

        QCOMPARE(journal->entries().size(), 3);
        QCOMPARE(added.size(), 3);

        const HttpJournal::Entry &p = journal->entries().at(0);
        QCOMPARE(p.method, QByteArray("PUT"));
        QCOMPARE(p.url.toString(),
                 m_engine.baseUrl() + u"/api/v1/namespaces/_/actions/journaled?overwrite=false"_s);
        QCOMPARE(p.status, 200);
        QVERIFY(p.elapsedMs >= 0);
        QVERIFY(p.started.isValid());
        QVERIFY(p.id > 0);
        QVERIFY(p.error.isEmpty());
        QCOMPARE(p.requestId.size(), 32);
        QCOMPARE(QJsonDocument::fromJson(p.requestBody).object(), a.toPutBody());
        QCOMPARE(QJsonDocument::fromJson(p.responseBody).object().value(u"name"_s),
                 QJsonValue(u"journaled"_s));

        const HttpJournal::Entry &g = journal->entries().at(1);
        QCOMPARE(g.method, QByteArray("GET"));
        QCOMPARE(g.status, 404);
        QVERIFY(g.requestBody.isEmpty());
        QVERIFY(g.responseBody.contains("The requested resource does not exist."));
        QCOMPARE(g.url.query(), u"code=false"_s);
        QVERIFY(journal->entries().at(2).id > g.id);
        QVERIFY(g.id > p.id);

        // The key is redacted, and nowhere in any entry.
        const QByteArray uuid = guestKey.left(guestKey.indexOf(':'));
        const QByteArray secret = guestKey.mid(guestKey.indexOf(':') + 1);
        for (const HttpJournal::Entry &e : journal->entries()) {
            bool sawAuthorization = false;
            for (const auto &h : e.requestHeaders) {
                if (h.first.compare("authorization", Qt::CaseInsensitive) == 0) {
                    sawAuthorization = true;
                    QCOMPARE(h.second, QByteArray("Basic ***"));
                }
            }
            QVERIFY(sawAuthorization);
            const QByteArray text = entryText(e);
            QVERIFY(!text.contains(guestKey));
            QVERIFY(!text.contains(secret));
            QVERIFY(!text.contains(uuid));
            QVERIFY(!text.contains(guestKey.toBase64()));
            QVERIFY(!text.contains(guestKey.toBase64().left(20)));
        }
        // What the signal carried is the redacted entry too.
        const auto signalled = added.first().first().value<HttpJournal::Entry>();
        QCOMPARE(signalled.id, p.id);
        QVERIFY(!entryText(signalled).contains(secret));
    }

    void journalCapacityAndBodyLimit()
    {
        HttpJournal journal;
        journal.setCapacity(2);
        HttpJournal::Entry e;
        e.method = "POST";
        e.url = QUrl(u"http://h/api/v1/x"_s);
        e.requestBody = QByteArray(HttpJournal::maxBodyBytes + 10, 'a');
        journal.append(e);
        journal.append(e);
        journal.append(e);
        QCOMPARE(journal.entries().size(), 2);
        QCOMPARE(journal.entries().first().id, 2);
        QVERIFY(journal.entries().first().requestBody.size() <= HttpJournal::maxBodyBytes + 4);
    }

    void journalToCurlReplays()
    {
        HttpJournal *journal = m_client->journal();
        journal->clear();
        // Code with a single quote and non-ASCII text, to exercise the shell quoting.
        Action a = nodeActionEntity(u"function main() { return {s: 'it\\'s caf\u00e9'}; }"_s);
        auto put = await<Action>([&](QObject *ctx, auto done) {
            m_client->putAction(qn(u"curlme"_s), a, true, ctx, done);
        });
        VERIFY_OK(put);
        const HttpJournal::Entry entry = journal->entries().last();
        const QString curl = HttpJournal::toCurl(entry);
        QVERIFY2(curl.startsWith(u"curl "_s), qPrintable(curl));
        QVERIFY2(curl.contains(u"-u \"$OW_AUTH\""_s), qPrintable(curl));
        QVERIFY2(curl.contains(u"-X PUT"_s), qPrintable(curl));
        QVERIFY2(curl.contains(u"-d "_s), qPrintable(curl));
        QVERIFY2(curl.contains(entry.url.toString()), qPrintable(curl));
        QVERIFY(curl.contains(u"Content-Type: application/json"_s));
        QVERIFY(!curl.contains(QString::fromLatin1(guestKey)));
        QVERIFY(!curl.contains(u"***"_s));

        QByteArray out;
        QCOMPARE(runCurl(curl, &out), 200);
        const QJsonObject replayed = QJsonDocument::fromJson(out).object();
        QCOMPARE(replayed.value(u"name"_s), QJsonValue(u"curlme"_s));
        QCOMPARE(replayed.value(u"version"_s), QJsonValue(u"0.0.2"_s)); // it really updated
        QCOMPARE(replayed.value(u"exec"_s).toObject().value(u"code"_s), QJsonValue(a.code));

        // A POST (blocking invoke) and a GET replay too.
        auto invoked = invokeBlocking(u"curlme"_s, QJsonObject{{u"q"_s, u"x y"_s}});
        VERIFY_OK(invoked);
        const QString postCurl = HttpJournal::toCurl(journal->entries().last());
        QVERIFY2(postCurl.contains(u"-X POST"_s), qPrintable(postCurl));
        QVERIFY(postCurl.contains(u"-d '{\"q\":\"x y\"}'"_s));
        QCOMPARE(runCurl(postCurl, &out), 200);
        QCOMPARE(QJsonDocument::fromJson(out)
                     .object()
                     .value(u"response"_s)
                     .toObject()
                     .value(u"result"_s),
                 QJsonValue(QJsonObject{{u"s"_s, u"it's caf\u00e9"_s}}));

        auto got = await<Action>([&](QObject *ctx, auto done) {
            m_client->getAction(qn(u"curlme"_s), false, ctx, done);
        });
        VERIFY_OK(got);
        const QString getCurl = HttpJournal::toCurl(journal->entries().last());
        QVERIFY(!getCurl.contains(u"-X"_s));
        QVERIFY(getCurl.contains(u"-u \"$OW_AUTH\""_s));
        QCOMPARE(runCurl(getCurl, &out), 200);
        QCOMPARE(QJsonDocument::fromJson(out).object().value(u"name"_s), QJsonValue(u"curlme"_s));
    }

    // Feed lifecycle bodies carry the owner's key as `authKey` (PROTOCOL.md 3.1): the journal
    // keeps neither it nor its Base64 form, and copy as curl takes it from $OW_AUTH.
    void lifecycleKeysAreRedacted()
    {
        HttpJournal journal;
        const WhiskClientPtr client = WhiskClient::create(endpoint(), &journal);
        FeedLifecycle lifecycle(client, std::make_shared<LifecycleJournal>());
        const QualifiedName trigger = *QualifiedName::parse(u"/_/t-redacted"_s);
        const QualifiedName feed = *QualifiedName::parse(u"/whisk.system/alarms/alarm"_s);
        const auto run = [](Operation *op) {
            return waitForReport(op, 60000);
        };
        const auto created
            = run(lifecycle.create(trigger, feed, {}, QJsonObject{{u"cron"_s, u"0 0 1 1 *"_s}}));
        QVERIFY(created);
        QVERIFY2(created->ok, qPrintable(created->summary()));
        const auto read = run(lifecycle.read(trigger));
        QVERIFY(read && read->ok);

        const QByteArray key = guestKey.split(':').last();
        const HttpJournal::Entry *readCall = nullptr;
        int lifecycleBodies = 0;
        for (const HttpJournal::Entry &e : journal.entries()) {
            const QByteArray all = e.requestBody + e.responseBody + e.url.toEncoded();
            QVERIFY2(!all.contains(key), all.constData());
            QVERIFY2(!all.contains(guestKey.toBase64()), all.constData());
            if (e.requestBody.contains("lifecycleEvent")) {
                ++lifecycleBodies;
                QVERIFY2(e.requestBody.contains("\"authKey\":\"***\""), e.requestBody.constData());
                if (e.requestBody.contains("\"READ\""))
                    readCall = &e;
            }
        }
        QCOMPARE(lifecycleBodies, 2);
        QVERIFY(readCall);
        const QString curl = HttpJournal::toCurl(*readCall);
        QVERIFY2(!curl.contains(QString::fromLatin1(key)), qPrintable(curl));
        QVERIFY2(curl.contains(u"$OW_AUTH\\\""_s), qPrintable(curl));
        QByteArray out;
        QCOMPARE(runCurl(curl, &out), 200);
        const QJsonObject result = QJsonDocument::fromJson(out)
                                       .object()
                                       .value(u"response"_s)
                                       .toObject()
                                       .value(u"result"_s)
                                       .toObject();
        QCOMPARE(result.value(u"config"_s).toObject().value(u"cron"_s).toString(), u"0 0 1 1 *"_s);
        QVERIFY(run(lifecycle.remove(trigger)));
    }

    void redactFindsKeysAtAnyDepth()
    {
        const QByteArray body
            = R"({"a":{"authKey":"u:k1234567890"},"list":[{"api_key":"x"}],"note":"secret-value-here"})";
        const QByteArray cleaned = HttpJournal::redact(body, {"secret-value-here"});
        QVERIFY(!cleaned.contains("k1234567890"));
        QVERIFY(!cleaned.contains("\"x\""));
        QVERIFY(!cleaned.contains("secret-value-here"));
        QVERIFY(cleaned.contains("\"authKey\":\"***\""));
        // Not JSON: only the named secrets go.
        QCOMPARE(HttpJournal::redact("key secret-value-here", {"secret-value-here"}),
                 QByteArray("key ***"));
    }

    void journalAnnouncesTrimsAndClears()
    {
        HttpJournal journal;
        journal.setCapacity(2);
        QSignalSpy aboutToRemove(&journal, &HttpJournal::entriesAboutToBeRemoved);
        QSignalSpy removed(&journal, &HttpJournal::entriesRemoved);
        QSignalSpy cleared(&journal, &HttpJournal::cleared);
        HttpJournal::Entry e;
        e.method = "GET";
        for (int i = 0; i < 5; ++i)
            journal.append(e);
        QCOMPARE(aboutToRemove.size(), 3);
        QCOMPARE(removed.size(), 3);
        QCOMPARE(removed.first().first().toInt(), 1);
        // A larger journal trims a tenth at a time.
        HttpJournal big;
        big.setCapacity(100);
        QSignalSpy bigRemoved(&big, &HttpJournal::entriesRemoved);
        for (int i = 0; i < 330; ++i)
            big.append(e);
        QVERIFY(big.entries().size() <= 110);
        QCOMPARE(bigRemoved.size(), 20); // at the 111th append, then every 11th up to 330
        QCOMPARE(bigRemoved.first().first().toInt(), 11);
        journal.setCapacity(1);
        QCOMPARE(removed.last().first().toInt(), 1);
        QCOMPARE(journal.entries().size(), 1);
        journal.clear();
        QCOMPARE(cleared.size(), 1);
        QVERIFY(journal.entries().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestHttpJournal)
#include "tst_httpjournal.moc"
