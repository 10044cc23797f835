// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "alarmschedule.h"
#include "provider.h"

#include <QHash>
#include <QTimer>

#include <map>

namespace Feedscope::Engine {

// The alarms provider (PROTOCOL.md 4, the reference connection-pattern provider): feeds of type
// `alarm` (cron with an optional seconds field, timezone, startDate, stopDate, strict,
// maxTriggers), `interval` (minutes, startDate, stopDate) and `once` (date, deleteAfterFire).
// All schedules share one precise timer on the earliest due fire.
class AlarmsProvider final : public Provider
{
    Q_OBJECT

public:
    explicit AlarmsProvider(FeedHost &host, QObject *parent = nullptr);

    QString name() const override { return QStringLiteral("alarms"); }
    void configure(const QJsonObject &params, Configured done) override;
    void
    reconfigure(const QJsonObject &config, const QJsonObject &params, Configured done) override;
    void start(const FeedRecord &feed) override;
    void stop(const QString &trigger) override;

    // Lateness of the fires so far (ms between the scheduled time and the fire request being
    // accepted), for the benchmark: {fires, p50, p99, max}.
    QJsonObject stats() const override;
    void resetStats() override;

private:
    struct Alarm
    {
        FeedRecord feed;
        AlarmSchedule schedule;
        qint64 due = 0;     // epoch ms of the next fire
        int remaining = -1; // maxTriggers countdown, -1 = unlimited
    };

    void schedule(const QString &trigger, qint64 due);
    void armTimer();
    void onTimer();
    void fireAlarm(const QString &trigger);

    QHash<QString, Alarm> m_alarms;
    std::multimap<qint64, QString> m_queue; // due → trigger
    QTimer m_timer;
    void recordLateness(qint64 ms);
    // Lateness of the most recent fires, for stats(): a ring of at most latenessKept samples, so
    // a long-running engine does not grow with every fire (it kept them all once).
    static constexpr size_t latenessKept = 100000;
    std::vector<qint64> m_lateness;
    size_t m_latenessNext = 0;
    qint64 m_fires = 0;
    qint64 m_maxLateness = 0;
};

} // namespace Feedscope::Engine
