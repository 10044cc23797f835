// SPDX-License-Identifier: GPL-3.0-or-later
#include "schedulecheck.h"

#include "alarmschedule.h"
#include "feedcall.h"

#include <QDateTime>

#include <algorithm>

namespace Feedscope {

QString scheduleStatusText(ScheduleMatch::Status status)
{
    switch (status) {
    case ScheduleMatch::Status::OnTime: return QStringLiteral("on time");
    case ScheduleMatch::Status::Late: return QStringLiteral("late");
    case ScheduleMatch::Status::Missed: return QStringLiteral("missed");
    case ScheduleMatch::Status::Pending: return QStringLiteral("pending");
    case ScheduleMatch::Status::Duplicate: return QStringLiteral("duplicate");
    case ScheduleMatch::Status::Unexpected: return QStringLiteral("unexpected");
    }
    return {};
}

QString ScheduleReport::summary() const
{
    QString text
        = QStringLiteral("%1 expected, %2 on time, %3 late").arg(expected).arg(onTime).arg(late);
    if (late > 0)
        text += QStringLiteral(" (%1 s)").arg(double(maxLateMs) / 1000.0, 0, 'f', 1);
    text += QStringLiteral(", %1 missed, %2 duplicate").arg(missed).arg(duplicate);
    if (unexpected > 0)
        text += QStringLiteral(", %1 unexpected").arg(unexpected);
    if (pending > 0)
        text += QStringLiteral(", %1 pending").arg(pending);
    return text;
}

ScheduleReport matchSchedule(QList<qint64> expected,
                             QList<ObservedFire> observed,
                             qint64 toleranceMs,
                             qint64 nowMs)
{
    std::sort(expected.begin(), expected.end());
    expected.erase(std::unique(expected.begin(), expected.end()), expected.end());
    std::stable_sort(
        observed.begin(), observed.end(), [](const ObservedFire &a, const ObservedFire &b) {
            return a.start < b.start;
        });
    const qsizetype n = expected.size();
    // Slot i opens a little before its expected time: clocks and timer wake-ups may put a fire
    // slightly early, but never by more than half the gap (it would belong to the previous one).
    QList<qint64> opens(n);
    for (qsizetype i = 0; i < n; ++i) {
        const qint64 halfGap = i > 0 ? (expected[i] - expected[i - 1]) / 2 : toleranceMs;
        opens[i] = expected[i] - qMin(toleranceMs, halfGap);
    }
    QList<QList<ObservedFire>> buckets(n);
    ScheduleReport report;
    report.expected = int(n);
    QList<ScheduleMatch> unexpected;
    for (const ObservedFire &o : std::as_const(observed)) {
        const auto after = std::upper_bound(opens.begin(), opens.end(), o.start);
        if (after == opens.begin()) {
            ScheduleMatch m;
            m.status = ScheduleMatch::Status::Unexpected;
            m.observed = o.start;
            m.activationId = o.activationId;
            unexpected.append(m);
            continue;
        }
        buckets[std::distance(opens.begin(), after) - 1].append(o);
    }
    report.unexpected = int(unexpected.size());
    report.matches = unexpected; // all before the first slot
    for (qsizetype i = 0; i < n; ++i) {
        if (buckets[i].isEmpty()) {
            ScheduleMatch m;
            m.expected = expected[i];
            // The engine writes the trigger activation once the fire was admitted; one due this
            // recently may not be listed yet.
            m.status = expected[i] > nowMs - toleranceMs ? ScheduleMatch::Status::Pending
                                                         : ScheduleMatch::Status::Missed;
            (m.status == ScheduleMatch::Status::Pending ? report.pending : report.missed) += 1;
            report.matches.append(m);
            continue;
        }
        for (qsizetype k = 0; k < buckets[i].size(); ++k) {
            ScheduleMatch m;
            m.expected = expected[i];
            m.observed = buckets[i][k].start;
            m.activationId = buckets[i][k].activationId;
            m.delayMs = m.observed - m.expected;
            if (k > 0) {
                m.status = ScheduleMatch::Status::Duplicate;
                ++report.duplicate;
            } else if (m.delayMs <= toleranceMs) {
                m.status = ScheduleMatch::Status::OnTime;
                ++report.onTime;
            } else {
                m.status = ScheduleMatch::Status::Late;
                ++report.late;
                report.maxLateMs = qMax(report.maxLateMs, m.delayMs);
            }
            report.matches.append(m);
        }
    }
    return report;
}

namespace {

// The configuration as AlarmSchedule reads it: a real OpenWhisk's READ has no `type` and may
// give dates as ISO strings (PROTOCOL.md 3.6, 4.5).
QJsonObject normalized(QJsonObject config)
{
    if (!config.contains(QLatin1String("type"))) {
        config.insert(QStringLiteral("type"),
                      config.contains(QLatin1String("date"))      ? QStringLiteral("once")
                      : config.contains(QLatin1String("minutes")) ? QStringLiteral("interval")
                                                                  : QStringLiteral("alarm"));
    }
    for (const char *field : {"startDate", "stopDate", "date"}) {
        const QJsonValue v = config.value(QLatin1String(field));
        if (!v.isString())
            continue;
        const QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
        if (t.isValid())
            config.insert(QLatin1String(field), t.toMSecsSinceEpoch());
        else
            config.remove(QLatin1String(field));
    }
    const QJsonValue minutes = config.value(QLatin1String("minutes"));
    if (minutes.isString())
        config.insert(QStringLiteral("minutes"), minutes.toString().toInt());
    config.remove(QStringLiteral("maxTriggers"));
    return config;
}

} // namespace

QList<qint64> expectedFires(const QJsonObject &feedConfig, qint64 fromMs, qint64 toMs, int limit)
{
    const AlarmSchedule schedule(normalized(feedConfig));
    QList<qint64> times;
    for (qint64 t = schedule.next(fromMs); t != 0 && t <= toMs && times.size() < limit;
         t = schedule.next(t)) {
        times.append(t);
        if (schedule.type() == u"once")
            break;
    }
    return times;
}

// ---- ScheduleCheck ---------------------------------------------------------------------------

struct ScheduleCheck::State
{
    ScheduleCheckRequest request;
    bool observedGiven = false;
    QList<ObservedFire> observed;
    ScheduleCheckResult result;
    qint64 now = 0;
    qint64 triggerUpdated = 0;
    int skip = 0;
};

namespace {
constexpr int pageLimit = 200; // the API's list maximum (PROTOCOL.md 1.4)
constexpr int maxPages = 50;
} // namespace

ScheduleCheck::ScheduleCheck(WhiskClientPtr client, QObject *parent)
    : QObject(parent)
    , m_client(std::move(client))
{
    qRegisterMetaType<Feedscope::ScheduleCheckResult>();
}

ScheduleCheck::~ScheduleCheck() = default;

void ScheduleCheck::run(const ScheduleCheckRequest &request)
{
    auto state = std::make_shared<State>();
    state->request = request;
    start(state);
}

void ScheduleCheck::run(const ScheduleCheckRequest &request, const QList<ObservedFire> &observed)
{
    auto state = std::make_shared<State>();
    state->request = request;
    state->observedGiven = true;
    state->observed = observed;
    start(state);
}

void ScheduleCheck::cancel()
{
    m_state.reset();
}

void ScheduleCheck::start(const std::shared_ptr<State> &state)
{
    m_state = state;
    state->now
        = state->request.nowMs > 0 ? state->request.nowMs : QDateTime::currentMSecsSinceEpoch();
    if (!m_client) {
        QMetaObject::invokeMethod(
            this,
            [this, state] { fail(state, QStringLiteral("no connection")); },
            Qt::QueuedConnection);
        return;
    }
    const QualifiedName trigger = state->request.trigger;
    // Answers of a cancelled or replaced check are dropped by comparing with m_state.
    QMetaObject::invokeMethod(
        this,
        [this, state, trigger] {
            if (m_state != state)
                return;
            Q_EMIT progress(QStringLiteral("Reading trigger %1").arg(trigger.toString()));
            m_client->getTrigger(trigger, this, [this, state](Result<Trigger> r) {
                if (m_state != state)
                    return;
                if (!r) {
                    fail(state, r.error().message);
                    return;
                }
                const QString feedText = r->feed();
                const auto feed = m_client->qualify(feedText);
                if (feedText.isEmpty() || !feed) {
                    fail(state,
                         QStringLiteral("Trigger %1 has no feed: there is no schedule to check.")
                             .arg(r->name));
                    return;
                }
                state->result.feed = feedText;
                state->triggerUpdated = r->updated;
                Q_EMIT progress(QStringLiteral("Reading the feed %1 (READ)").arg(feedText));
                invokeFeed(
                    *m_client,
                    *feed,
                    QStringLiteral("READ"),
                    r->qualifiedName().toString(),
                    {},
                    this,
                    [this, state](FeedAnswer a) {
                        if (m_state != state)
                            return;
                        if (!a.ok) {
                            fail(state, QStringLiteral("The feed's READ failed: %1").arg(a.error));
                            return;
                        }
                        const QJsonObject result = a.result.toObject();
                        const QJsonObject status = result.value(QLatin1String("status")).toObject();
                        ScheduleCheckResult &out = state->result;
                        out.config = result.value(QLatin1String("config")).toObject();
                        if (out.config.isEmpty()) {
                            fail(state,
                                 QStringLiteral("The feed's READ returned no "
                                                "configuration."));
                            return;
                        }
                        out.feedActive = status.value(QLatin1String("active")).toBool(true);
                        const qint64 changed
                            = status.value(QLatin1String("dateChanged")).toInteger();
                        out.from = state->now - state->request.windowMs;
                        out.to = state->now;
                        // Before its last status change an active feed had another
                        // schedule, or none; an inactive one fires no more after it, and
                        // began no earlier than its trigger's last update (the CREATE
                        // follows the trigger's PUT).
                        const qint64 began = out.feedActive ? changed : state->triggerUpdated;
                        if (began > out.from)
                            out.from = qMin(began, state->now);
                        if (!out.feedActive && changed > 0 && changed < out.to)
                            out.to = qMax(changed, out.from);
                        if (state->observedGiven)
                            complete(state);
                        else
                            listPage(state);
                    });
            });
        },
        Qt::QueuedConnection);
}

void ScheduleCheck::listPage(const std::shared_ptr<State> &state)
{
    ActivationFilter filter;
    filter.name = state->request.trigger.name;
    // Fires slightly before the first expected time still belong to it.
    filter.since = state->result.from - state->request.toleranceMs;
    filter.limit = pageLimit;
    filter.skip = state->skip;
    Q_EMIT progress(QStringLiteral("Listing the fires of %1").arg(filter.name));
    m_client->listActivations(filter, this, [this, state](Result<QList<ActivationRecord>> r) {
        if (m_state != state)
            return;
        if (!r) {
            fail(state, r.error().message);
            return;
        }
        for (const ActivationRecord &a : *r) {
            if (a.isTrigger())
                state->observed.append(ObservedFire{a.start, a.activationId});
        }
        state->skip += int(r->size());
        if (r->size() == pageLimit && state->skip < pageLimit * maxPages) {
            listPage(state);
            return;
        }
        complete(state);
    });
}

void ScheduleCheck::complete(const std::shared_ptr<State> &state)
{
    ScheduleCheckResult &out = state->result;
    const qint64 tolerance = state->request.toleranceMs;
    QList<ObservedFire> inWindow;
    for (const ObservedFire &o : std::as_const(state->observed)) {
        if (o.start >= out.from - tolerance && o.start <= out.to + tolerance)
            inWindow.append(o);
    }
    out.report = matchSchedule(
        expectedFires(out.config, out.from, out.to), inWindow, tolerance, state->now);
    out.ok = true;
    m_state.reset();
    Q_EMIT finished(out);
}

void ScheduleCheck::fail(const std::shared_ptr<State> &state, const QString &message)
{
    if (m_state != state)
        return;
    state->result.ok = false;
    state->result.error = message;
    m_state.reset();
    Q_EMIT finished(state->result);
}

} // namespace Feedscope
