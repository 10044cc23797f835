// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entities.h"
#include "entityname.h"
#include "whiskclient.h"

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>

#include <memory>

namespace Feedscope {

// One fire a trigger made, as the schedule check compares it.
struct ObservedFire
{
    qint64 start = 0; // the trigger activation's start, epoch ms
    QString activationId;
};

// One line of a schedule check: an expected fire time and the fire that answered it, or a fire
// nobody expected.
struct ScheduleMatch
{
    enum class Status {
        OnTime,     // within the tolerance
        Late,       // later than the tolerance (delayMs)
        Missed,     // no fire for this time
        Pending,    // due so recently that its record may not be written yet
        Duplicate,  // a second fire for one expected time
        Unexpected, // a fire before the first expected time of the window
    };
    Status status = Status::Missed;
    qint64 expected = 0; // 0 for Unexpected
    qint64 observed = 0; // 0 for Missed and Pending
    qint64 delayMs = 0;  // observed - expected
    QString activationId;
};

QString scheduleStatusText(ScheduleMatch::Status status);

// The matched lines in time order, with counts.
struct ScheduleReport
{
    QList<ScheduleMatch> matches;
    int expected = 0;
    int onTime = 0;
    int late = 0;
    int missed = 0;
    int pending = 0;
    int duplicate = 0;
    int unexpected = 0;
    qint64 maxLateMs = 0;

    bool healthy() const { return late == 0 && missed == 0 && duplicate == 0 && unexpected == 0; }
    // "12 expected, 11 on time, 1 late (7.2 s), 0 missed, 0 duplicate" (+ unexpected and pending
    // when there are any).
    QString summary() const;
};

// Pairs expected fire times with observed fires (both any order). Each observed fire belongs to
// the expected time whose slot holds it: from that time minus min(tolerance, half the gap to
// the previous one) up to the next slot. The first fire of a slot is on time within
// `toleranceMs`, else late; later ones are duplicates; fires before the first slot are
// unexpected. An empty slot is missed, or pending when it is due within `toleranceMs` of
// `nowMs` (the engine writes the record after the fire). A fire later than the next expected
// time counts for that one, so lateness beyond one period shows as missed + on time.
ScheduleReport matchSchedule(QList<qint64> expected,
                             QList<ObservedFire> observed,
                             qint64 toleranceMs,
                             qint64 nowMs);

// The expected fire times in (fromMs, toMs] of an alarms feed's configuration as its READ
// answers (PROTOCOL.md 3.6) or AlarmSchedule::configure stores it: the type is inferred when
// absent and ISO dates are read, as the provider does. maxTriggers is ignored (the fires made
// before the window are not known). At most `limit` times.
QList<qint64>
expectedFires(const QJsonObject &feedConfig, qint64 fromMs, qint64 toMs, int limit = 5000);

struct ScheduleCheckRequest
{
    QualifiedName trigger;
    qint64 windowMs = 30 * 60 * 1000; // up to now
    qint64 toleranceMs = 5000;
    qint64 nowMs = 0; // 0: the current time
};

// The result of ScheduleCheck: the report, and what it was computed from.
struct ScheduleCheckResult
{
    bool ok = false;
    QString error;
    QString feed;       // "/whisk.system/alarms/alarm"
    QJsonObject config; // the feed's READ config
    bool feedActive = false;
    qint64 from = 0; // the window actually compared (after the feed's last status change)
    qint64 to = 0;
    ScheduleReport report;
};

// The schedule check of an alarm trigger (issue G): READs the trigger's feed for its
// configuration, computes the expected fire times over the window with the provider's own code
// (AlarmSchedule), lists the observed trigger activations (`activations?name=<trigger>&since=`,
// paged) and matches them. The window starts no earlier than the feed's status change
// (creation, update, unpause) and ends at it when the feed is inactive. Destroying the object or
// cancel() drops the answer.
class ScheduleCheck : public QObject
{
    Q_OBJECT

public:
    explicit ScheduleCheck(WhiskClientPtr client, QObject *parent = nullptr);
    ~ScheduleCheck() override;

    void run(const ScheduleCheckRequest &request);
    // As run(), with the observed fires given (the monitor's rows) instead of listed.
    void run(const ScheduleCheckRequest &request, const QList<ObservedFire> &observed);
    void cancel();
    bool isRunning() const { return m_state != nullptr; }

Q_SIGNALS:
    void progress(const QString &text);
    void finished(const Feedscope::ScheduleCheckResult &result);

private:
    struct State;
    void start(const std::shared_ptr<State> &state);
    void listPage(const std::shared_ptr<State> &state);
    void complete(const std::shared_ptr<State> &state);
    void fail(const std::shared_ptr<State> &state, const QString &message);

    WhiskClientPtr m_client;
    std::shared_ptr<State> m_state;
};

} // namespace Feedscope

Q_DECLARE_METATYPE(Feedscope::ScheduleCheckResult)
