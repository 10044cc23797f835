// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "blueprintdeployer.h"
#include "firefollower.h"
#include "whiskclient.h"

#include <QWizardPage>

class QLabel;
class QProgressBar;
class QPushButton;
class QTreeWidget;

namespace Feedscope::Ui {

class DesignerReviewPage;
class JsonField;
class MessageBar;
class ReportView;

// Deploys the reviewed plan with live per-step progress. Cancel stops before the next step and
// undoes what was done; a failing step rolls back, and the report says what was undone. After a
// deploy, "Undo deployment" removes exactly what was created (feed triggers through their
// feed's DELETE), and a test event can be fired and followed to the action's activation.
class DesignerDeployPage : public QWizardPage
{
    Q_OBJECT

public:
    enum class State { Idle, Deploying, Deployed, Failed, Undoing, Undone };
    Q_ENUM(State)

    DesignerDeployPage(DesignerReviewPage *review,
                       WhiskClientPtr client,
                       QWidget *parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;

    State state() const { return m_state; }
    bool isBusy() const { return m_state == State::Deploying || m_state == State::Undoing; }
    const DeployReport &lastReport() const { return m_report; }
    const FollowedFire &lastFire() const { return m_fire; }

    void cancel();
    void undo();
    void fireTestEvent();

    QTreeWidget *stepList() const { return m_steps; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *undoButton() const { return m_undo; }
    QPushButton *redesignButton() const { return m_redesign; }
    QPushButton *fireButton() const { return m_fireButton; }
    JsonField *payloadField() const { return m_payload; }
    MessageBar *fireResult() const { return m_fireResult; }
    ReportView *reportView() const { return m_reportView; }

Q_SIGNALS:
    void stateChanged(Feedscope::Ui::DesignerDeployPage::State state);
    void fireFollowed();

private:
    void setState(State state);
    void setStep(int index, const QString &state, const QString &message, bool ok);

    DesignerReviewPage *m_review;
    WhiskClientPtr m_client;
    BlueprintDeployer *m_deployer;
    DeployPlan m_plan;
    DeployReport m_report;
    FollowedFire m_fire;
    State m_state = State::Idle;
    QTreeWidget *m_steps;
    QProgressBar *m_progress;
    QPushButton *m_cancel;
    QPushButton *m_undo;
    QPushButton *m_redesign;
    ReportView *m_reportView;
    QWidget *m_fireBox;
    JsonField *m_payload;
    QPushButton *m_fireButton;
    MessageBar *m_fireResult;
};

} // namespace Feedscope::Ui
