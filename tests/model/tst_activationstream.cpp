// SPDX-License-Identifier: GPL-3.0-or-later
// ActivationStream (model/activationstream.h) against a real feedscope-engine: every activation
// delivered exactly once (a pushed summary may be followed once by its full record), with the
// trigger and rule of each action row; a gap in the push stream (the stream's thread does not
// read while thousands of events are produced) filled by the catch-up list; resume after the
// engine is killed and restarted on the same data directory, pushed and polled; and the polling
// path alone: pages of at most 200 through a burst, backing off while idle, fast again when
// events flow. Fires that got 204 become synthetic rows.
#include "activationstream.h"
#include "activationtablemodel.h"
#include "feedtesting.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

using namespace Feedscope;
using namespace Feedscope::Testing;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(Feedscope::ActivationStream::Mode)

namespace {

// What the stream handed on, per activation id.
struct Collector
{
    QHash<QString, int> summaries;
    QHash<QString, int> fulls;
    QSet<QString> ids;

    void take(const QList<ActivationRecord> &records)
    {
        for (const ActivationRecord &r : records) {
            ids.insert(r.activationId);
            (r.raw.contains(u"response"_s) ? fulls : summaries)[r.activationId] += 1;
        }
    }
    // Each id at most once as a summary and once as a full record.
    QString repeats() const
    {
        for (auto it = summaries.cbegin(); it != summaries.cend(); ++it)
            if (it.value() > 1)
                return it.key();
        for (auto it = fulls.cbegin(); it != fulls.cend(); ++it)
            if (it.value() > 1)
                return it.key();
        return {};
    }
};

// Every activation id the engine holds for the caller (paged list).
QSet<QString> serverIds(EngineProcess &e)
{
    QSet<QString> ids;
    for (int skip = 0;; skip += 200) {
        const HttpResult r = e.get(api(u"activations?limit=200&skip=%1"_s.arg(skip)));
        if (r.status != 200)
            return {};
        const QJsonArray page = r.array();
        for (const QJsonValue &a : page)
            ids.insert(a[u"activationId"_s].toString());
        if (page.size() < 200)
            return ids;
    }
}

#ifdef FEEDSCOPE_SANITIZE
// AddressSanitizer slows the engine and this process several-fold (tests/model/CMakeLists.txt
// defines this in a -DFEEDSCOPE_SANITIZE=ON build, and gives the suite a longer ctest timeout).
constexpr int catchUpDeadlineMs = 480000;
#else
constexpr int catchUpDeadlineMs = 120000;
#endif

QString describe(const QSet<QString> &delivered, const QSet<QString> &server)
{
    return u"delivered %1, server %2, missing %3, extra %4"_s.arg(delivered.size())
        .arg(server.size())
        .arg((server - delivered).size())
        .arg((delivered - server).size());
}

} // namespace

class TestActivationStream : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<EngineProcess> m_engine;
    WhiskClientPtr m_client;

    EngineProcess &engine() { return *m_engine; }

    // Trigger `t` with rule `r` to action `a` (a node echo unless `cheap`, where the action is
    // deleted again: each fire is then one trigger activation and no run).
    bool setUpTrigger(const QString &t, const QString &r, const QString &a, bool cheap = false)
    {
        if (createAction(engine(), a).isEmpty())
            return false;
        if (!ok(engine().put(api(u"triggers/"_s + t), {}), "trigger"))
            return false;
        if (!ok(engine().put(
                    api(u"rules/"_s + r),
                    {{u"trigger"_s, QString(u"/_/"_s + t)}, {u"action"_s, QString(u"/_/"_s + a)}}),
                "rule"))
            return false;
        return !cheap || ok(engine().del(api(u"actions/"_s + a)), "delete action");
    }

    bool fire(const QString &t, int n)
    {
        for (int i = 0; i < n; ++i) {
            if (engine().post(api(u"triggers/"_s + t), {{u"i"_s, i}}).status != 202)
                return false;
        }
        return true;
    }

    // Restarts the killed engine on the same port and data directory.
    bool restart()
    {
        const QString port = QString::number(QUrl(engine().baseUrl()).port());
        if (!engine().start({u"--port"_s, port}))
            return false;
        return QUrl(engine().baseUrl()).port() == port.toInt();
    }

private Q_SLOTS:
    void init()
    {
        m_engine = std::make_unique<EngineProcess>();
        QVERIFY2(engine().start(), qPrintable(engine().errorString()));
        m_client = WhiskClient::create(
            WhiskEndpoint{engine().baseUrl(), QString::fromLatin1(guestKey), u"_"_s});
    }

    void cleanup()
    {
        m_client.reset();
        m_engine.reset();
    }

    void pushDeliversEveryActivationOnceWithItsCause()
    {
        QVERIFY(setUpTrigger(u"orders"_s, u"orders-rule"_s, u"handler"_s));
        ActivationStream stream(m_client);
        ActivationTableModel model;
        model.setNamespace(u"guest"_s);
        model.setBatchInterval(10);
        Collector got;
        QList<ActivationStream::Source> sources;
        connect(&stream, &ActivationStream::activations, this, [&](const auto &records) {
            got.take(records);
            model.append(records);
        });
        connect(&stream,
                &ActivationStream::sourceChanged,
                this,
                [&](ActivationStream::Source s, int) { sources.append(s); });
        stream.start();
        QVERIFY(waitFor([&] { return stream.source() == ActivationStream::Source::Push; }));
        QCOMPARE(stream.sourceText(), u"push"_s);
        QCOMPARE(stream.pollInterval(), 0);
        QVERIFY(fire(u"orders"_s, 20));
        QSet<QString> server;
        QVERIFY2(waitFor([&] {
                     server = serverIds(engine());
                     return server.size() == 40 && got.ids == server;
                 }),
                 qPrintable(describe(got.ids, server)));
        QCOMPARE(got.repeats(), QString());
        QVERIFY(!sources.contains(ActivationStream::Source::Polling));
        // Every action row names the trigger and rule that caused it, once the trigger's full
        // record (its logs) has been fetched.
        QVERIFY(waitFor([&] {
            if (model.rowCount() != 40)
                return false;
            for (int r = 0; r < model.rowCount(); ++r) {
                const QModelIndex i = model.index(r, 0);
                if (model.data(i, ActivationTableModel::KindRole).toInt()
                        == int(ActivationKind::Action)
                    && model.data(i, ActivationTableModel::RuleRole).toString() != u"orders-rule")
                    return false;
            }
            return true;
        }));
        const int actionRow = [&] {
            for (int r = 0; r < model.rowCount(); ++r)
                if (model.rowAt(r).kind == ActivationKind::Action)
                    return r;
            return -1;
        }();
        QVERIFY(actionRow >= 0);
        QCOMPARE(model.data(model.index(actionRow, ActivationTableModel::Cause)).toString(),
                 u"orders → orders-rule"_s);
        // The detail pane's full record, on demand.
        model.setClient(m_client);
        std::optional<Result<ActivationRecord>> record;
        model.fetchRecord(actionRow, this, [&](Result<ActivationRecord> r) { record = r; });
        QVERIFY(waitFor([&] { return record.has_value(); }));
        QVERIFY(record->ok());
        QCOMPARE(record->value().activationId, model.idAt(actionRow));
        QCOMPARE(record->value().name, u"handler"_s);
        QVERIFY(record->value().result.toObject().contains(u"i"_s)); // the echo of the payload
    }

    void aGapInThePushStreamIsFilledByACatchUp()
    {
        // Big messages (long names) so that the kernel's buffers fill quickly and the engine
        // drops messages for this process while it does not read.
        const QString trigger = u"t"_s + QString(240, u'x');
        QVERIFY(setUpTrigger(trigger, u"rgap"_s, u"a"_s + QString(200, u'y'), true));
        ActivationStream stream(m_client);
        Collector got;
        connect(&stream, &ActivationStream::activations, this, [&](const auto &records) {
            got.take(records);
        });
        QSignalSpy gaps(&stream, &ActivationStream::gapReported);
        stream.start();
        QVERIFY(waitFor([&] { return stream.source() == ActivationStream::Source::Push; }));
        QVERIFY(fire(trigger, 3));
        QVERIFY(waitFor([&] { return got.ids.size() == 3; }));

        // node fires 16,000 times while this thread blocks in QProcess::execute: the stream reads
        // nothing meanwhile.
        const QString script = uR"(
const http = require('http');
const [url, key] = process.argv.slice(1);
const agent = new http.Agent({keepAlive: true, maxSockets: 32});
const N = 16000; let sent = 0, done = 0, failed = 0;
function one() {
  if (sent >= N) return;
  sent++;
  const req = http.request(url, {method: 'POST', agent, auth: key,
                                 headers: {'content-type': 'application/json'}}, res => {
    if (res.statusCode !== 202) failed++;
    res.resume();
    res.on('end', () => { if (++done === N) process.exit(failed ? 1 : 0); one(); });
  });
  req.on('error', () => process.exit(2));
  req.end('{}');
}
for (let i = 0; i < 32; i++) one();
)"_s;
        const int rc = QProcess::execute(u"node"_s,
                                         {u"-e"_s,
                                          script,
                                          engine().baseUrl() + api(u"triggers/"_s + trigger),
                                          QString::fromLatin1(guestKey)});
        QCOMPARE(rc, 0);
        // Waits on the count alone: listing all 16,003 ids from the engine every 100 ms would
        // compete with the stream's own catch-up for the engine. The ids are compared once.
        const bool caughtUp = waitFor([&] { return got.ids.size() >= 16003; }, catchUpDeadlineMs);
        const QSet<QString> server = serverIds(engine());
        QVERIFY2(caughtUp && got.ids == server, qPrintable(describe(got.ids, server)));
        QCOMPARE(server.size(), 16003);
        QVERIFY2(!gaps.isEmpty(), "the engine reported no gap: nothing was dropped");
        QCOMPARE(got.repeats(), QString());
    }

    void resumesAfterTheEngineIsKilledAndRestarted_data()
    {
        QTest::addColumn<ActivationStream::Mode>("mode");
        QTest::newRow("push") << ActivationStream::Mode::Auto;
        QTest::newRow("polling") << ActivationStream::Mode::PollingOnly;
    }

    void resumesAfterTheEngineIsKilledAndRestarted()
    {
        QFETCH(ActivationStream::Mode, mode);
        QVERIFY(setUpTrigger(u"t"_s, u"r"_s, u"a"_s, true));
        ActivationStream stream(m_client);
        stream.setMode(mode);
        stream.setPollIntervals(50, 400);
        Collector got;
        connect(&stream, &ActivationStream::activations, this, [&](const auto &records) {
            got.take(records);
        });
        QSignalSpy errors(&stream, &ActivationStream::streamError);
        const auto expected = mode == ActivationStream::Mode::Auto
                                  ? ActivationStream::Source::Push
                                  : ActivationStream::Source::Polling;
        stream.start();
        QVERIFY(waitFor([&] { return stream.source() == expected; }));
        QVERIFY(fire(u"t"_s, 5));
        QVERIFY(waitFor([&] { return got.ids.size() == 5; }));

        engine().kill();
        QVERIFY(waitFor([&] { return !errors.isEmpty(); }));
        QCOMPARE(stream.source(), ActivationStream::Source::Polling);
        QVERIFY(restart());
        // Fired before the stream noticed the engine is back: nothing may be lost.
        QVERIFY(fire(u"t"_s, 5));
        QVERIFY(waitFor([&] { return stream.source() == expected; }));
        QVERIFY(fire(u"t"_s, 5));
        QSet<QString> server;
        QVERIFY2(waitFor([&] {
                     server = serverIds(engine());
                     return server.size() == 15 && got.ids == server;
                 }),
                 qPrintable(describe(got.ids, server)));
        QCOMPARE(got.repeats(), QString());
    }

    void pollingPagesThroughABurstAndBacksOffWhenIdle()
    {
        QVERIFY(setUpTrigger(u"burst"_s, u"r"_s, u"a"_s, true));
        QVERIFY(fire(u"burst"_s, 450)); // before the stream starts: one poll must page
        ActivationStream stream(m_client);
        stream.setMode(ActivationStream::Mode::PollingOnly);
        stream.setPollIntervals(50, 800);
        Collector got;
        QList<int> intervals;
        QList<ActivationStream::Source> sources;
        connect(&stream, &ActivationStream::activations, this, [&](const auto &records) {
            got.take(records);
        });
        connect(&stream,
                &ActivationStream::sourceChanged,
                this,
                [&](ActivationStream::Source s, int ms) {
                    sources.append(s);
                    intervals.append(ms);
                });
        stream.start();
        QSet<QString> server = serverIds(engine());
        QCOMPARE(server.size(), 450);
        QVERIFY2(waitFor([&] { return got.ids == server; }), qPrintable(describe(got.ids, server)));
        QCOMPARE(got.repeats(), QString());
        QCOMPARE(got.summaries.size(), 0); // polling lists full records only

        // Idle: the period grows step by step up to the maximum, never shrinking meanwhile.
        QVERIFY(waitFor([&] { return stream.pollInterval() == 800; }));
        QCOMPARE(stream.sourceText(), u"polling every 0.80 s"_s);
        QVERIFY(intervals.size() >= 3);
        for (qsizetype i = 1; i < intervals.size(); ++i)
            QVERIFY2(intervals[i] >= intervals[i - 1],
                     qPrintable(u"%1 after %2"_s.arg(intervals[i]).arg(intervals[i - 1])));
        // Events flow again: back to the fast period, and the new one is delivered.
        // (Watched through the signal: the fast period may already be growing again when a
        // sampling check would look.)
        const qsizetype before = intervals.size();
        QVERIFY(fire(u"burst"_s, 1));
        QVERIFY(waitFor([&] { return intervals.mid(before).contains(50); }));
        QVERIFY(waitFor([&] { return got.ids.size() == 451; }));
        QCOMPARE(got.repeats(), QString()); // the idle polls re-listed the overlap, de-duplicated
        QVERIFY(!sources.contains(ActivationStream::Source::Push));
        QVERIFY(!sources.contains(ActivationStream::Source::Connecting));

        // Every list call asked for at most the API's limit, with full records; the burst took
        // more than one page.
        bool paged = false;
        int lists = 0;
        for (const HttpJournal::Entry &e : m_client->journal()->entries()) {
            if (!e.url.path().endsWith(u"/activations"))
                continue;
            ++lists;
            const QUrlQuery q(e.url);
            QCOMPARE(q.queryItemValue(u"limit"_s), u"200"_s);
            QCOMPARE(q.queryItemValue(u"docs"_s), u"true"_s);
            QVERIFY(!q.queryItemValue(u"since"_s).isEmpty());
            paged = paged || q.queryItemValue(u"skip"_s).toInt() >= 400;
        }
        QVERIFY(lists > 3);
        QVERIFY(paged);
    }

    void firesWithoutARecordBecomeRows()
    {
        QVERIFY(ok(engine().put(api(u"triggers/lonely"_s), {}), "trigger"));
        ActivationStream stream(m_client);
        ActivationTableModel model;
        model.setBatchInterval(10);
        connect(&stream, &ActivationStream::activations, &model, &ActivationTableModel::append);
        stream.start();
        QString answer = u"?"_s;
        m_client->fire(m_client->qualify(u"lonely"_s).value(),
                       {{u"n"_s, 7}},
                       this,
                       [&](Result<QString> r) { answer = r ? *r : u"error"_s; });
        QVERIFY(waitFor([&] { return answer != u"?"; }));
        QCOMPARE(answer, QString()); // 204: no active rule, no record on the server
        stream.recordLocalFire(u"lonely"_s, 204, {{u"n"_s, 7}});
        QVERIFY(waitFor([&] { return model.rowCount() == 1; }));
        QCOMPARE(model.rowAt(0).status, ActivationStatus::NoActiveRule);
        QCOMPARE(model.data(model.index(0, ActivationTableModel::Name)).toString(), u"lonely"_s);
        QCOMPARE(model.data(model.index(0, 0), ActivationTableModel::PayloadRole).toString(),
                 u"{\"n\":7}"_s);
        QCOMPARE(model.idAt(0).size(), 32);
    }
};

QTEST_GUILESS_MAIN(TestActivationStream)
#include "tst_activationstream.moc"
