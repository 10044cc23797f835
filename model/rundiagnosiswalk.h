// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Internal to RunDiagnosis: the state of one check while its look-ups run (rundiagnosis.cpp)
// and the answer drawn from it (rundiagnosisanswer.cpp).
#include "firefollower.h"
#include "rundiagnosis.h"

#include <QHash>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>

namespace Feedscope {

struct FeedAnswer;

// True for a synthetic record of ActivationStream::recordLocalFire; its HTTP status (204, 429).
bool isLocalFire(const ActivationRecord &record);
int localFireStatus(const ActivationRecord &record);

struct DiagnosisWalk : std::enable_shared_from_this<DiagnosisWalk>
{
    enum class FeedState { None, Active, NoStatus, Paused, Disabled, Lost, Unknown };
    enum class ActionState { Exists, Missing, Unknown };

    DiagnosisWalk(QObject *owner,
                  WhiskClientPtr client,
                  LifecycleJournalPtr journal,
                  DiagnosisRequest request,
                  std::function<void(const QString &)> progress,
                  std::function<void(const Diagnosis &)> finished);

    // The steps, in order; each calls the next when its answer arrives.
    void start();
    void readFeed();
    void takeFeedAnswer(const FeedAnswer &answer);
    void listFires();
    void addFire(const ActivationRecord &record);
    void findFocus();
    void readOutcomes();
    void readNextActivation();
    void checkActions();
    void conclude(); // rundiagnosisanswer.cpp
    void fail(const QString &message);
    void finish();

    bool alive() const;
    void step(const QString &text);

    QPointer<QObject> owner; // the context of every request
    WhiskClientPtr client;
    LifecycleJournalPtr journal;
    DiagnosisRequest req;
    std::function<void(const QString &)> progress;
    std::function<void(const Diagnosis &)> finished;
    bool cancelled = false;
    qint64 now = 0;

    Diagnosis out;
    bool triggerMissing = false;
    Trigger trigger;
    QualifiedName triggerName;

    FeedState feed = FeedState::None;
    QString feedText;
    QString feedDetail; // the READ error, or the reason the provider gave
    QJsonObject feedConfig;
    QJsonObject feedParams;

    QList<ActivationRecord> fires; // this trigger's, newest first
    QString listError;
    std::optional<ActivationRecord> focus;
    QString focusError;
    QList<RuleOutcome> outcomes;
    QStringList toRead;
    QHash<QString, ActivationRecord> actionRecords;
    QHash<QString, QString> actionErrors;

    QStringList actionsToCheck; // "ns/action" as rules name them
    bool actionsListed = false;
    QHash<QString, ActionState> actionState;
};

} // namespace Feedscope
