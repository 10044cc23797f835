// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entityname.h"
#include "whiskclient.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>

namespace Feedscope {

class ConformanceRun;

// One line of a conformance report card.
struct ConformanceRow
{
    QString step;     // "CREATE", "READ after CREATE", "DELETE of an unknown trigger", ...
    QString expected; // what a conforming feed does
    bool passed = false;
    QString detail;       // what happened
    bool warning = false; // passed, with a caveat (PAUSE refused: clients fall back)

    QString verdict() const; // "PASS", "WARN", "FAIL"
};

struct ReportCard
{
    QString feed;
    QString scratchTrigger;
    QList<ConformanceRow> rows;
    bool cancelled = false; // stopped by cancel(): the rows so far, then the clean-up

    bool allPassed() const;
    int failures() const;
    int warnings() const;
    // The row named `step`, or nullptr.
    const ConformanceRow *row(const QString &step) const;
    QString toText() const;
};

// Runs a feed action through its lifecycle (PROTOCOL.md 3.1, 3.5) on a scratch trigger
// "feedscope-check-<random>": CREATE → READ → UPDATE → READ → PAUSE → UNPAUSE → CREATE twice →
// DELETE → READ, then edge cases (DELETE of an unknown trigger, CREATE with a wrong key), and
// always removes the scratch trigger and feed entry. A step is judged on its own; a failure
// does not stop the check. PAUSE/UNPAUSE pass when supported and effective, or — with a
// warning — when refused cleanly as "unsupported lifecycleEvent" (what the upstream feeds do).
// One check runs at a time per ConformanceCheck; progress() reports each step as it starts.
class ConformanceCheck : public QObject
{
    Q_OBJECT

public:
    explicit ConformanceCheck(WhiskClientPtr client, QObject *parent = nullptr);
    ~ConformanceCheck() override;

    // `sampleParams` must make a valid CREATE (e.g. {cron: "0 0 1 1 *"}); `updateParams`
    // (default: sampleParams) is sent with UPDATE. `done` is dropped if `context` dies.
    void run(const QualifiedName &feed,
             const QJsonObject &sampleParams,
             QObject *context,
             std::function<void(ReportCard)> done,
             const QJsonObject &updateParams = {});

    // Stops the running check before its next step; the clean-up step still runs (the scratch
    // trigger and the feed entry go), then `done` gets the card with `cancelled` set.
    void cancel();
    bool isRunning() const;

Q_SIGNALS:
    // Step `step` (0-based) of `count` starts: "READ after CREATE", "Clean up", ...
    void progress(int step, int count, const QString &text);

private:
    friend class ConformanceRun; // clears m_run before `done`: isRunning() is false in it

    WhiskClientPtr m_client;
    QPointer<QObject> m_run; // the running check's state (a ConformanceRun)
};

} // namespace Feedscope
