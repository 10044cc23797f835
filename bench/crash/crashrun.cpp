// SPDX-License-Identifier: GPL-3.0-or-later
#include "crashrun.h"

#include "enginefixture.h"
#include "feedtesting.h"
#include "httpclient.h"
#include "serviceprocess.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimer>
#include <QUuid>

#include <memory>

namespace Feedscope::Bench {

using namespace Testing;

namespace {

constexpr int entityCount = 8;      // actions w-0.. and triggers wt-0.. rewritten in turn
constexpr int fireConcurrency = 24; // fires in flight at once
constexpr int streamPeriodMs = 40;  // one CouchDB document and one SSE event each
constexpr int problemsKept = 12;
const QString stoppedMessage = QStringLiteral("The engine stopped before the action finished.");
const QString echoCode = QStringLiteral("function main(p) { return {v: p.v}; }");

// Bench code may wait in a local event loop; the product may not.
void spin(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// Everything the engine or a source acknowledged, as the load saw it.
struct Journal
{
    QHash<QString, QJsonObject> fires;   // trigger activation id → the payload fired
    QHash<QString, QSet<int>> attempted; // entity path → every version sent
    QList<QPair<QString, int>> writes;   // acknowledged (entity path, version)
    QSet<QString> couchDocs;             // created in the followed database
    QSet<QString> sseIds;                // emitted by the event service
    int nextVersion = 1;
    int nextFire = 0;
    int nextDoc = 0;
};

// Asynchronous HTTP to the feeds' sources (few requests: QNetworkAccessManager will do).
class Client : public QObject
{
public:
    using Done = std::function<void(int status, const QByteArray &body)>;

    void send(const QByteArray &method,
              const QString &url,
              const QByteArray &body,
              bool guest,
              Done done)
    {
        QNetworkRequest request{QUrl(url)};
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        if (guest)
            request.setRawHeader("Authorization", "Basic " + guestKey.toBase64());
        request.setTransferTimeout(15000);
        QNetworkReply *reply = m_network.sendCustomRequest(request, method, body);
        connect(reply, &QNetworkReply::finished, this, [this, reply, done = std::move(done)] {
            reply->deleteLater();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            done(status, reply->isOpen() ? reply->readAll() : QByteArray());
        });
    }
private:
    QNetworkAccessManager m_network;
};

// One round's load on the engine: fires on `load` (a rule runs `echo_load`) and entity writes,
// back to back until stop(). Through the shared HTTP client pool rather than
// QNetworkAccessManager, whose six connections per host and per-request cost would make the load
// generator, not the engine, the bottleneck.
class EngineLoad
{
public:
    EngineLoad(Journal &journal, const QString &engineUrl, int round)
        : m_journal(journal)
        , m_pool(std::make_unique<Http::ClientPool>(QUrl(engineUrl)))
        , m_round(round)
    {
        m_pool->setMaxConnections(fireConcurrency + 1);
        m_pool->setTimeout(15000);
    }

    void start()
    {
        for (int i = 0; i < fireConcurrency; ++i)
            fire();
        write();
    }
    // Drops the requests still unanswered (the pool runs no callback once gone).
    void stop()
    {
        m_stopped = true;
        m_pool.reset();
    }

private:
    void send(const QByteArray &method,
              const QString &path,
              const QJsonObject &body,
              std::function<void(int, const QByteArray &)> done)
    {
        Http::ClientRequest request;
        request.method = method;
        request.target = api(path).toUtf8();
        request.headers = {{"Authorization", "Basic " + guestKey.toBase64()},
                           {"Content-Type", "application/json"}};
        request.body = compact(body);
        m_pool->send(std::move(request), [done = std::move(done)](Http::ClientResponse r) {
            done(r.status, r.body);
        });
    }
    void again(void (EngineLoad::*next)(), int status)
    {
        if (m_stopped)
            return;
        // No reply (the engine is gone) or refused: do not spin on it.
        if (status == 0 || status >= 500 || status == 429)
            QTimer::singleShot(20, m_pool.get(), [this, next] { (this->*next)(); });
        else
            (this->*next)();
    }
    void fire()
    {
        if (m_stopped)
            return;
        const QJsonObject payload{{QStringLiteral("round"), m_round},
                                  {QStringLiteral("n"), m_journal.nextFire++}};
        send("POST",
             QStringLiteral("triggers/load"),
             payload,
             [this, payload](int status, const QByteArray &body) {
                 if (status == 202) {
                     const QString id = QJsonDocument::fromJson(body)
                                            .object()
                                            .value(QLatin1String("activationId"))
                                            .toString();
                     m_journal.fires.insert(id, payload);
                 }
                 again(&EngineLoad::fire, status);
             });
    }
    void write()
    {
        if (m_stopped)
            return;
        const int version = m_journal.nextVersion++;
        const bool action = version % 2 == 0;
        const QString path = QStringLiteral("%1/%2-%3")
                                 .arg(action ? QStringLiteral("actions") : QStringLiteral("triggers"),
                                      action ? QStringLiteral("w") : QStringLiteral("wt"))
                                 .arg((version / 2) % entityCount);
        QJsonObject body{
            {QStringLiteral("parameters"), QJsonArray{kv(QStringLiteral("v"), version)}}};
        if (action)
            body.insert(QStringLiteral("exec"), nodeAction(echoCode).value(QLatin1String("exec")));
        m_journal.attempted[path].insert(version);
        send("PUT",
             path + QStringLiteral("?overwrite=true"),
             body,
             [this, path, version](int status, const QByteArray &) {
                 if (status == 200)
                     m_journal.writes.append({path, version});
                 again(&EngineLoad::write, status);
             });
    }

    Journal &m_journal;
    std::unique_ptr<Http::ClientPool> m_pool;
    int m_round;
    bool m_stopped = false;
};

// The feeds' sources, written to at a steady pace for the whole run, engine up or down.
class SourceLoad
{
public:
    SourceLoad(Journal &journal, const QString &couchDb, const QString &eventService)
        : m_journal(journal)
        , m_couchDb(couchDb)
        , m_events(eventService)
    {
        QObject::connect(&m_timer, &QTimer::timeout, &m_client, [this] { tick(); });
    }
    void start() { m_timer.start(streamPeriodMs); }
    // Stops and waits for the requests on their way, so every document and event sent is known.
    void stop()
    {
        m_timer.stop();
        QDeadlineTimer deadline(15000);
        while ((m_couchBusy || m_eventBusy) && !deadline.hasExpired())
            spin(10);
    }

private:
    void tick()
    {
        if (!m_couchBusy) {
            m_couchBusy = true;
            const QString id = QStringLiteral("doc-%1").arg(m_journal.nextDoc++);
            m_client.send("PUT",
                          m_couchDb + u'/' + id,
                          compact({{QStringLiteral("n"), m_journal.nextDoc}}),
                          false,
                          [this, id](int status, const QByteArray &) {
                              m_couchBusy = false;
                              if (status == 201)
                                  m_journal.couchDocs.insert(id);
                          });
        }
        if (!m_eventBusy) {
            m_eventBusy = true;
            m_client.send("POST",
                          m_events + QStringLiteral("/emit"),
                          compact({{QStringLiteral("type"), QStringLiteral("crash")},
                                   {QStringLiteral("data"),
                                    QJsonObject{{QStringLiteral("at"),
                                                 QDateTime::currentMSecsSinceEpoch()}}}}),
                          false,
                          [this](int status, const QByteArray &body) {
                              m_eventBusy = false;
                              if (status == 201) {
                                  m_journal.sseIds.insert(QJsonDocument::fromJson(body)
                                                              .object()
                                                              .value(QLatin1String("id"))
                                                              .toVariant()
                                                              .toString());
                              }
                          });
        }
    }

    Journal &m_journal;
    QString m_couchDb;
    QString m_events;
    Client m_client;
    QTimer m_timer;
    bool m_couchBusy = false;
    bool m_eventBusy = false;
};

// What an activation record says, kept small: there are hundreds of thousands.
struct Record
{
    QString name;
    int statusCode = 0;
    QJsonValue result;
    QStringList namedIds; // activation ids in a trigger record's logs
    QString error;
};

Record recordOf(const QString &name, const QByteArray &doc)
{
    const QJsonObject json = QJsonDocument::fromJson(doc).object();
    const QJsonObject response = json.value(QLatin1String("response")).toObject();
    Record r;
    r.name = name;
    r.statusCode = response.value(QLatin1String("statusCode")).toInt();
    const QJsonValue result = response.value(QLatin1String("result"));
    r.error = result.toObject().value(QLatin1String("error")).toString();
    if (name == u"load" || name == u"couch" || name == u"sse")
        r.result = result;
    if (json.value(QLatin1String("end")).isUndefined()) { // a trigger record
        for (const QJsonValue &line : json.value(QLatin1String("logs")).toArray()) {
            const QString id = QJsonDocument::fromJson(line.toString().toUtf8())
                                   .object()
                                   .value(QLatin1String("activationId"))
                                   .toString();
            if (!id.isEmpty())
                r.namedIds.append(id);
        }
    }
    return r;
}

class CrashRun
{
public:
    explicit CrashRun(const CrashOptions &options)
        : m_options(options)
        , m_seed(options.seed ? options.seed : QRandomGenerator::global()->generate())
        , m_random(m_seed)
    {}

    CrashReport run();

private:
    void say(const QString &line)
    {
        if (m_options.progress)
            m_options.progress(QStringLiteral("[%1 s] ").arg(m_clock.elapsed() / 1000.0, 0, 'f', 1) + line);
    }
    void problem(const QString &what)
    {
        if (m_report.problems.size() < problemsKept)
            m_report.problems.append(what);
    }
    bool setUp();
    bool startEngine(int *repaired);
    QString databaseCheck(const QString &pragma);
    qint64 countOf(const QString &name, qint64 since = 0);
    void waitForStreams();
    void checkAlarm(qint64 restartedAt);
    void checkEntities();
    void checkRecords();

    CrashOptions m_options;
    QElapsedTimer m_clock;
    quint32 m_seed = 0;
    QRandomGenerator m_random;
    CrashReport m_report;
    Journal m_journal;
    ServiceProcess m_couch;
    ServiceProcess m_events;
    EngineProcess m_engine;
    const QStringList m_engineArgs{QStringLiteral("--max-activations"),
                                   QStringLiteral("100000000")};
};

bool CrashRun::startEngine(int *repaired)
{
    if (!m_engine.start(m_engineArgs)) {
        problem(QStringLiteral("the engine did not restart: ") + m_engine.errorString());
        return false;
    }
    // The rest of the banner follows the listening line at once.
    QByteArray banner;
    QDeadlineTimer deadline(5000);
    while (!banner.contains("resources:") && !deadline.hasExpired()) {
        m_engine.process().waitForReadyRead(100);
        banner += m_engine.process().readAllStandardOutput();
    }
    static const QRegularExpression recorded(QStringLiteral("recorded (\\d+) activation"));
    const auto match = recorded.match(QString::fromUtf8(banner));
    *repaired = match.hasMatch() ? match.captured(1).toInt() : 0;
    return true;
}

bool CrashRun::setUp()
{
    if (!m_couch.startPouchDb(m_options.pouchDbServer)) {
        problem(QStringLiteral("pouchdb-server: ") + m_couch.errorString());
        return false;
    }
    if (ServiceProcess::httpRequest("PUT", m_couch.baseUrl() + QStringLiteral("/crash")) != 201) {
        problem(QStringLiteral("cannot create the CouchDB database"));
        return false;
    }
    if (!m_events.startEventService(m_options.eventService)) {
        problem(QStringLiteral("event service: ") + m_events.errorString());
        return false;
    }
    int repaired = 0;
    if (!startEngine(&repaired))
        return false;
    EngineProcess &e = m_engine;
    const bool triggers
        = setUpTrigger(e, QStringLiteral("load"), QStringLiteral("echo_load"))
          && setUpFeedTrigger(e,
                              QStringLiteral("couch"),
                              QStringLiteral("/whisk.system/cloudant/changes"),
                              QStringLiteral("echo_couch"))
          && setUpFeedTrigger(e,
                              QStringLiteral("sse"),
                              QStringLiteral("/whisk.system/streams/sse"),
                              QStringLiteral("echo_sse"))
          && setUpFeedTrigger(e,
                              QStringLiteral("tick"),
                              QStringLiteral("/whisk.system/alarms/alarm"),
                              QStringLiteral("echo_tick"));
    if (!triggers) {
        problem(QStringLiteral("cannot create the triggers and rules"));
        return false;
    }
    const FeedCall feeds[] = {
        invokeSystemFeed(e,
                         QStringLiteral("cloudant/changes"),
                         QStringLiteral("CREATE"),
                         QStringLiteral("couch"),
                         {{QStringLiteral("host"), QStringLiteral("127.0.0.1")},
                          {QStringLiteral("port"), int(m_couch.port())},
                          {QStringLiteral("dbname"), QStringLiteral("crash")}}),
        invokeSystemFeed(e,
                         QStringLiteral("streams/sse"),
                         QStringLiteral("CREATE"),
                         QStringLiteral("sse"),
                         {{QStringLiteral("url"),
                           QString(m_events.baseUrl() + QStringLiteral("/stream"))}}),
        invokeSystemFeed(e,
                         QStringLiteral("alarms/alarm"),
                         QStringLiteral("CREATE"),
                         QStringLiteral("tick"),
                         {{QStringLiteral("cron"), QStringLiteral("* * * * * *")}}),
    };
    for (const FeedCall &feed : feeds) {
        if (!feed.success()) {
            problem(QStringLiteral("cannot create a feed: ") + feed.describe());
            return false;
        }
    }
    // The first connection has no Last-Event-ID and sees only later events: start the sources
    // once the provider follows the stream.
    const bool following = waitFor([&] {
        QByteArray body;
        return ServiceProcess::httpRequest("GET", m_events.baseUrl() + QStringLiteral("/health"), {}, &body)
                   == 200
               && QJsonDocument::fromJson(body).object().value(QLatin1String("streams")).toInt() == 1;
    });
    if (!following)
        problem(QStringLiteral("the SSE provider never connected to the event service"));
    return following;
}

QString CrashRun::databaseCheck(const QString &pragma)
{
    const QString connection = QUuid::createUuid().toString();
    QString outcome;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(m_engine.dataDirectory() + QStringLiteral("/feedscope.db"));
        // Read-only: closing a writer would checkpoint the log of the crashed engine, and the
        // restart is to find it as the crash left it.
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (!db.open()) {
            outcome = db.lastError().text();
        } else {
            QSqlQuery q(db);
            QStringList lines;
            if (q.exec(pragma)) {
                while (q.next())
                    lines.append(q.value(0).toString());
            } else {
                lines.append(q.lastError().text());
            }
            outcome = lines.join(u"; ");
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    return outcome;
}

qint64 CrashRun::countOf(const QString &name, qint64 since)
{
    QString query = QStringLiteral("activations?count=true&name=") + name;
    if (since > 0)
        query += QStringLiteral("&since=%1").arg(since);
    return m_engine.get(api(query)).object().value(QLatin1String("activations")).toInteger(-1);
}

void CrashRun::waitForStreams()
{
    // Until every document and event has fired (and a little longer, so that repeats show), and
    // the rule actions left in the queue have run.
    const bool caughtUp = waitFor(
        [&] {
            return countOf(QStringLiteral("couch")) >= m_journal.couchDocs.size()
                   && countOf(QStringLiteral("sse")) >= m_journal.sseIds.size();
        },
        180000);
    if (!caughtUp)
        say(QStringLiteral("the feeds did not catch up within 3 minutes"));
    // The rule actions still queued run out: no new echo_load record for a second. (The alarm
    // keeps adding records of its own, so the total never settles.)
    qint64 total = -1;
    waitFor(
        [&] {
            const qint64 now = countOf(QStringLiteral("echo_load"));
            const bool settled = now == total;
            total = now;
            if (!settled)
                spin(1000);
            return settled;
        },
        180000);
}

void CrashRun::checkAlarm(qint64 restartedAt)
{
    waitFor([&] { return countOf(QStringLiteral("tick"), restartedAt) >= 3; }, 15000);
    const QJsonArray ticks = m_engine
                                 .get(api(QStringLiteral("activations?name=tick&limit=200&since=%1")
                                              .arg(restartedAt)))
                                 .array();
    m_report.alarmFires = int(ticks.size());
    m_report.alarmsResumed = ticks.size() >= 3;
    qint64 first = 0;
    for (const QJsonValue &tick : ticks) {
        const qint64 start = tick.toObject().value(QLatin1String("start")).toInteger();
        first = first == 0 ? start : qMin(first, start);
        m_report.alarmLateMs = qMax(m_report.alarmLateMs, start % 1000);
    }
    m_report.alarmFirstMs = first ? first - restartedAt : 0;
    if (!m_report.alarmsResumed)
        problem(QStringLiteral("the alarm fired %1 times after the last restart").arg(ticks.size()));
}

void CrashRun::checkEntities()
{
    QHash<QString, int> acked;
    for (const auto &[path, version] : std::as_const(m_journal.writes))
        acked[path] = qMax(acked.value(path), version);
    QHash<QString, int> stored;
    for (auto it = acked.begin(); it != acked.end(); ++it) {
        const HttpResult r = m_engine.get(api(it.key()));
        const QJsonObject doc = r.object();
        const int version = keyValue(doc, QStringLiteral("parameters"), QStringLiteral("v")).toInt();
        const bool intact = r.status == 200 && m_journal.attempted.value(it.key()).contains(version)
                            && (!it.key().startsWith(u"actions/")
                                || doc.value(QLatin1String("exec"))
                                           .toObject()
                                           .value(QLatin1String("code"))
                                           .toString()
                                       == echoCode);
        stored.insert(it.key(), intact ? version : -1);
        if (!intact)
            problem(QStringLiteral("%1: %2 %3").arg(it.key()).arg(r.status).arg(QString::fromUtf8(r.body)));
    }
    // A write is present when what is stored is that version or a later one that was sent.
    for (const auto &[path, version] : std::as_const(m_journal.writes)) {
        ++m_report.writes;
        if (stored.value(path) >= version) {
            ++m_report.present;
        } else {
            ++m_report.lost;
            problem(QStringLiteral("write %1 v%2 lost (stored v%3)")
                        .arg(path)
                        .arg(version)
                        .arg(stored.value(path)));
        }
    }
}

void CrashRun::checkRecords()
{
    const QString connection = QUuid::createUuid().toString();
    QHash<QString, Record> records;
    QSet<QString> pending;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(m_engine.dataDirectory() + QStringLiteral("/feedscope.db"));
        if (db.open()) {
            QSqlQuery q(db);
            q.setForwardOnly(true);
            q.exec(QStringLiteral("SELECT activation_id, name, doc FROM activations"));
            while (q.next())
                records.insert(q.value(0).toString(),
                               recordOf(q.value(1).toString(), q.value(2).toByteArray()));
            // Still unfinished at the graceful stop: recorded as failed at the next start.
            q.exec(QStringLiteral("SELECT activation_id FROM pending_activations"));
            while (q.next())
                pending.insert(q.value(0).toString());
        } else {
            problem(QStringLiteral("cannot open the database: ") + db.lastError().text());
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);

    for (auto it = m_journal.fires.begin(); it != m_journal.fires.end(); ++it) {
        ++m_report.fires;
        const auto record = records.constFind(it.key());
        if (record != records.constEnd() && record->name == u"load"
            && record->result == QJsonValue(it.value())) {
            ++m_report.present;
        } else {
            ++m_report.lost;
            problem(QStringLiteral("fire %1 (%2) has no intact record")
                        .arg(it.key(), QString::fromUtf8(compact(it.value()))));
        }
    }
    QHash<QString, int> couchFired;
    QHash<QString, int> sseFired;
    for (auto it = records.begin(); it != records.end(); ++it) {
        if (it->name == u"couch")
            ++couchFired[it->result.toObject().value(QLatin1String("id")).toString()];
        else if (it->name == u"sse")
            ++sseFired[it->result.toObject().value(QLatin1String("id")).toString()];
        for (const QString &id : std::as_const(it->namedIds)) {
            ++m_report.ids;
            const auto named = records.constFind(id);
            if (named == records.constEnd() && pending.contains(id)) {
                ++m_report.repaired;
            } else if (named == records.constEnd()) {
                ++m_report.lost;
                problem(QStringLiteral("activation %1 named by %2's trigger record %3 has no record")
                            .arg(id, it->name, it.key()));
            } else if (named->statusCode == 3 && named->error == stoppedMessage) {
                ++m_report.repaired;
            } else {
                ++m_report.present;
            }
        }
    }
    const auto streamed = [this](const QSet<QString> &sent,
                                 const QHash<QString, int> &fired,
                                 qint64 &count,
                                 qint64 &repeated,
                                 const char *what) {
        for (const QString &id : sent) {
            ++count;
            const int times = fired.value(id);
            if (times == 0) {
                ++m_report.lost;
                problem(QStringLiteral("%1 %2 never fired").arg(QLatin1String(what), id));
            } else {
                ++m_report.present;
            }
        }
        for (auto it = fired.begin(); it != fired.end(); ++it) {
            if (it.value() > 1) {
                repeated += it.value() - 1;
                problem(QStringLiteral("%1 %2 fired %3 times")
                            .arg(QLatin1String(what), it.key())
                            .arg(it.value()));
            }
        }
    };
    streamed(m_journal.couchDocs, couchFired, m_report.couchDocs, m_report.couchRepeated, "document");
    streamed(m_journal.sseIds, sseFired, m_report.sseEvents, m_report.sseRepeated, "event");
}

CrashReport CrashRun::run()
{
    m_clock.start();
    say(QStringLiteral("seed %1").arg(m_seed));
    if (!setUp()) {
        m_report.lost = -1;
        return m_report;
    }
    SourceLoad sources(m_journal,
                       m_couch.baseUrl() + QStringLiteral("/crash"),
                       m_events.baseUrl());
    sources.start();
    qint64 restartedAt = 0;
    for (int round = 1; round <= m_options.rounds; ++round) {
        EngineLoad load(m_journal, m_engine.baseUrl(), round);
        load.start();
        const int ms = int(m_random.bounded(m_options.minRoundMs, m_options.maxRoundMs + 1));
        spin(ms);
        m_engine.kill();
        // Replies that were already on their way are acknowledgements too.
        spin(200);
        load.stop();
        const QString quick = databaseCheck(QStringLiteral("PRAGMA quick_check"));
        if (quick != u"ok")
            problem(QStringLiteral("round %1: quick_check after the kill: %2").arg(round).arg(quick));
        restartedAt = QDateTime::currentMSecsSinceEpoch();
        int repaired = 0;
        if (!startEngine(&repaired))
            break;
        say(QStringLiteral("round %1/%2: killed after %3 ms; so far %4 fires and %5 writes "
                           "acknowledged, %6 documents and %7 events sent; the restart recorded "
                           "%8 unfinished activations as failed")
                .arg(round)
                .arg(m_options.rounds)
                .arg(ms)
                .arg(m_journal.fires.size())
                .arg(m_journal.writes.size())
                .arg(m_journal.couchDocs.size())
                .arg(m_journal.sseIds.size())
                .arg(repaired));
    }
    sources.stop();
    if (m_engine.process().state() == QProcess::Running) {
        checkAlarm(restartedAt);
        say(QStringLiteral("alarm checked; waiting for the feeds and the queue"));
        waitForStreams();
        checkEntities();
        m_engine.stop();
        say(QStringLiteral("engine stopped; reading its database"));
        checkRecords();
        m_report.integrity = databaseCheck(QStringLiteral("PRAGMA integrity_check"));
        say(QStringLiteral("checked"));
    }
    m_report.acknowledged = m_report.present + m_report.repaired + m_report.lost;
    return m_report;
}

} // namespace

CrashReport runCrashRounds(const CrashOptions &options)
{
    CrashRun run(options);
    return run.run();
}

} // namespace Feedscope::Bench
