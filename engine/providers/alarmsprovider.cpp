// SPDX-License-Identifier: GPL-3.0-or-later
#include "alarmsprovider.h"

#include "core/ids.h"

#include <QJsonArray>

#include <algorithm>

namespace Feedscope::Engine {

AlarmsProvider::AlarmsProvider(FeedHost &host, QObject *parent)
    : Provider(host, parent)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &AlarmsProvider::onTimer);
}

void AlarmsProvider::configure(const QJsonObject &params, Configured done)
{
    QString error;
    auto config = AlarmSchedule::configure(params, nowMs(), &error);
    done(config, error);
}

void AlarmsProvider::reconfigure(const QJsonObject &config,
                                 const QJsonObject &params,
                                 Configured done)
{
    static const QStringList updatable{QStringLiteral("trigger_payload"),
                                       QStringLiteral("date"),
                                       QStringLiteral("deleteAfterFire"),
                                       QStringLiteral("minutes"),
                                       QStringLiteral("cron"),
                                       QStringLiteral("timezone"),
                                       QStringLiteral("strict"),
                                       QStringLiteral("startDate"),
                                       QStringLiteral("stopDate")};
    QJsonObject merged = config;
    merged.insert(QStringLiteral("trigger_payload"), config.value(QLatin1String("payload")));
    // Stored dates may lie in the past by now; only newly given ones must be in the future.
    QJsonObject fresh;
    bool any = false;
    for (auto it = params.begin(); it != params.end(); ++it) {
        // The package's default trigger_payload "" comes with every feed call: like upstream,
        // an empty value is not an update.
        if (it.key() == u"trigger_payload"
            && (it.value().isNull() || it.value() == QJsonValue(QString())))
            continue;
        if (updatable.contains(it.key())) {
            any = true;
            merged.insert(it.key(), it.value());
            fresh.insert(it.key(), it.value());
        }
    }
    if (!any) {
        done(std::nullopt, QStringLiteral("no updatable parameters were specified"));
        return;
    }
    for (const char *field : {"startDate", "stopDate", "date"}) {
        if (!fresh.contains(QLatin1String(field)) && merged.contains(QLatin1String(field))
            && merged.value(QLatin1String(field)).toInteger() <= nowMs()) {
            merged.remove(QLatin1String(field)); // an elapsed start date no longer matters
        }
    }
    QString error;
    auto result = AlarmSchedule::configure(merged, nowMs(), &error);
    done(result, error);
}

void AlarmsProvider::start(const FeedRecord &feed)
{
    Alarm alarm;
    alarm.feed = feed;
    alarm.schedule = AlarmSchedule(feed.config);
    const QJsonObject &c = feed.config;
    alarm.remaining = feed.state.contains(QLatin1String("remaining"))
                          ? feed.state.value(QLatin1String("remaining")).toInt()
                          : c.value(QLatin1String("maxTriggers")).toInt(-1);
    const qint64 due = alarm.schedule.next(nowMs());
    if (due == 0) {
        // Nothing left to fire (a once-alarm whose date passed while the engine was down, or
        // a stop date reached): record why instead of silently idling.
        m_host.disable(feed,
                       QJsonObject{{QStringLiteral("kind"), QStringLiteral("AUTO")},
                                   {QStringLiteral("message"),
                                    QStringLiteral("Automatically disabled: the alarm has "
                                                   "no further fire time.")}});
        return;
    }
    alarm.due = due;
    m_alarms.insert(feed.trigger, alarm);
    schedule(feed.trigger, due);
}

void AlarmsProvider::stop(const QString &trigger)
{
    auto it = m_alarms.find(trigger);
    if (it == m_alarms.end())
        return;
    const auto range = m_queue.equal_range(it->due);
    for (auto q = range.first; q != range.second; ++q) {
        if (q->second == trigger) {
            m_queue.erase(q);
            break;
        }
    }
    m_alarms.erase(it);
    armTimer();
}

void AlarmsProvider::schedule(const QString &trigger, qint64 due)
{
    m_queue.emplace(due, trigger);
    armTimer();
}

void AlarmsProvider::armTimer()
{
    if (m_queue.empty()) {
        m_timer.stop();
        return;
    }
    m_timer.start(
        int(qBound<qint64>(0, m_queue.begin()->first - nowMs(), qint64(24) * 3600 * 1000)));
}

void AlarmsProvider::onTimer()
{
    const qint64 now = nowMs();
    QStringList dueNow;
    while (!m_queue.empty() && m_queue.begin()->first <= now) {
        dueNow.append(m_queue.begin()->second);
        m_queue.erase(m_queue.begin());
    }
    for (const QString &trigger : dueNow)
        fireAlarm(trigger);
    armTimer();
}

void AlarmsProvider::fireAlarm(const QString &trigger)
{
    auto it = m_alarms.find(trigger);
    if (it == m_alarms.end())
        return;
    Alarm &alarm = it.value();
    const qint64 scheduled = alarm.due;
    const FeedRecord feed = alarm.feed;
    const QString type = feed.config.value(QLatin1String("type")).toString();

    // Schedule the next occurrence before firing, so a slow fire does not shift the series.
    if (alarm.remaining > 0)
        --alarm.remaining;
    const qint64 next
        = type == u"once" || alarm.remaining == 0 ? 0 : alarm.schedule.next(scheduled);
    if (next != 0) {
        alarm.due = next;
        schedule(trigger, next);
    } else {
        m_alarms.erase(it);
    }
    const int remaining = next != 0 ? alarm.remaining : 0;

    m_host.fire(
        feed,
        feed.config.value(QLatin1String("payload")).toObject(),
        [this, feed, scheduled, next, type, remaining](bool fired) {
            if (fired)
                recordLateness(nowMs() - scheduled);
            if (feed.config.contains(QLatin1String("maxTriggers")) && next != 0)
                m_host.saveState(feed, QJsonObject{{QStringLiteral("remaining"), remaining}});
            if (next != 0 || !fired)
                return;
            const QJsonValue deleteAfterFire = feed.config.value(QLatin1String("deleteAfterFire"));
            if (type == u"once" && deleteAfterFire != QJsonValue(false)) {
                m_host.deleteTrigger(feed, deleteAfterFire == QJsonValue(QStringLiteral("rules")));
                return;
            }
            m_host.disable(
                feed,
                QJsonObject{{QStringLiteral("kind"), QStringLiteral("AUTO")},
                            {QStringLiteral("message"),
                             type == u"once" ? QStringLiteral("Automatically disabled after "
                                                              "firing once")
                                             : QStringLiteral("Automatically disabled after "
                                                              "reaching the stop date or "
                                                              "maxTriggers")}});
        });
}

void AlarmsProvider::recordLateness(qint64 ms)
{
    ++m_fires;
    m_maxLateness = qMax(m_maxLateness, ms);
    if (m_lateness.size() < latenessKept) {
        m_lateness.push_back(ms);
        return;
    }
    m_lateness[m_latenessNext] = ms;
    m_latenessNext = (m_latenessNext + 1) % latenessKept;
}

void AlarmsProvider::resetStats()
{
    m_lateness.clear();
    m_latenessNext = 0;
    m_fires = 0;
    m_maxLateness = 0;
}

QJsonObject AlarmsProvider::stats() const
{
    // fires and max since the last reset; the percentiles over the last latenessKept fires.
    std::vector<qint64> sorted = m_lateness;
    std::sort(sorted.begin(), sorted.end());
    auto at = [&](double q) {
        return sorted.empty() ? 0 : sorted[size_t(q * double(sorted.size() - 1))];
    };
    return QJsonObject{{QStringLiteral("fires"), m_fires},
                       {QStringLiteral("p50"), at(0.5)},
                       {QStringLiteral("p99"), at(0.99)},
                       {QStringLiteral("max"), m_maxLateness},
                       {QStringLiteral("samples"), qint64(sorted.size())}};
}

} // namespace Feedscope::Engine
