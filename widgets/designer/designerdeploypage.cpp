// SPDX-License-Identifier: GPL-3.0-or-later
#include "designerdeploypage.h"

#include "common/accessible.h"
#include "common/jsonfield.h"
#include "common/messagebar.h"
#include "common/reportview.h"
#include "common/theme.h"
#include "designerreviewpage.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QProgressBar>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QWizard>

namespace Feedscope::Ui {

DesignerDeployPage::DesignerDeployPage(DesignerReviewPage *review,
                                       WhiskClientPtr client,
                                       QWidget *parent)
    : QWizardPage(parent)
    , m_review(review)
    , m_client(std::move(client))
    , m_deployer(new BlueprintDeployer(m_client, this))
    , m_steps(new QTreeWidget(this))
    , m_progress(new QProgressBar(this))
    , m_cancel(new QPushButton(tr("&Cancel deployment"), this))
    , m_undo(new QPushButton(tr("&Undo deployment"), this))
    , m_redesign(new QPushButton(tr("C&hange the design"), this))
    , m_reportView(new ReportView(this))
    , m_fireBox(new QGroupBox(tr("Try it: fire a test event"), this))
    , m_payload(new JsonField(this))
    , m_fireButton(new QPushButton(tr("&Fire test event"), this))
    , m_fireResult(new MessageBar(this))
{
    setObjectName(QStringLiteral("designerDeployPage"));
    setTitle(tr("Deploy"));
    nameControl(m_steps, QStringLiteral("designerSteps"), tr("Deploy steps"));
    m_steps->setHeaderLabels({tr("State"), tr("Step"), tr("Message")});
    m_steps->setRootIsDecorated(false);
    m_steps->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_steps->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    nameControl(m_progress, QStringLiteral("designerProgress"), tr("Deploy progress"));
    nameControl(m_cancel, QStringLiteral("designerCancelDeploy"), tr("Cancel the deployment"));
    m_cancel->setToolTip(tr("Stops before the next step and undoes what was done"));
    nameControl(m_undo, QStringLiteral("designerUndo"), tr("Undo the deployment"));
    m_undo->setToolTip(tr("Deletes exactly what this deploy created, newest first; feed "
                          "triggers through their feed's DELETE"));
    nameControl(m_redesign, QStringLiteral("designerRedesign"), tr("Change the design"));
    m_redesign->setToolTip(tr("Back to the first page; what you typed is kept"));
    nameControl(m_reportView, QStringLiteral("designerReport"), tr("Deploy report"));
    m_reportView->setMaximumHeight(130);

    m_fireBox->setObjectName(QStringLiteral("designerFireBox"));
    m_payload->setFieldName(QStringLiteral("designerPayload"), tr("Test event payload (JSON)"));
    m_payload->setValue(QJsonObject{{QStringLiteral("test"), true},
                                    {QStringLiteral("from"), QStringLiteral("Feed Designer")}});
    m_payload->setMaximumHeight(70);
    nameControl(m_fireButton, QStringLiteral("designerFire"), tr("Fire a test event"));
    nameControl(
        m_fireResult, QStringLiteral("designerFireResult"), tr("Outcome of the test event"));
    m_fireResult->setWordWrap(true);
    auto *fireLayout = new QVBoxLayout(m_fireBox);
    auto *fireRow = new QHBoxLayout;
    fireRow->addWidget(m_payload, 1);
    fireRow->addWidget(m_fireButton, 0, Qt::AlignTop);
    fireLayout->addLayout(fireRow);
    fireLayout->addWidget(m_fireResult);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_progress, 1);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_undo);
    buttons->addWidget(m_redesign);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_steps, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_reportView);
    layout->addWidget(m_fireBox);

    connect(m_cancel, &QPushButton::clicked, this, &DesignerDeployPage::cancel);
    connect(m_undo, &QPushButton::clicked, this, &DesignerDeployPage::undo);
    connect(m_redesign, &QPushButton::clicked, this, [this] {
        if (wizard() && !isBusy())
            wizard()->restart();
    });
    connect(m_fireButton, &QPushButton::clicked, this, &DesignerDeployPage::fireTestEvent);
    connect(m_deployer, &BlueprintDeployer::stepStarted, this, [this](int i, const QString &) {
        setStep(i, tr("running…"), {}, true);
    });
    connect(m_deployer,
            &BlueprintDeployer::stepFinished,
            this,
            [this](int i, bool ok, const QString &message) {
                setStep(i, ok ? tr("done") : tr("failed"), message, ok);
                m_progress->setValue(i + 1);
            });
    connect(m_deployer,
            &BlueprintDeployer::undoFinished,
            this,
            [this](int i, bool ok, const QString &message) {
                setStep(i, ok ? tr("undone") : tr("undo failed"), message, ok);
            });
    setState(State::Idle);
}

void DesignerDeployPage::setStep(int index, const QString &state, const QString &message, bool ok)
{
    QTreeWidgetItem *item = m_steps->topLevelItem(index);
    if (!item)
        return;
    item->setText(0, state);
    if (!message.isEmpty())
        item->setText(2, message);
    item->setForeground(0, Theme::color(ok ? Theme::Role::Success : Theme::Role::Error, this));
    m_steps->scrollToItem(item);
}

void DesignerDeployPage::setState(State state)
{
    m_state = state;
    m_cancel->setVisible(state == State::Deploying);
    m_cancel->setEnabled(state == State::Deploying);
    m_undo->setVisible(state == State::Deployed || state == State::Undoing);
    m_undo->setEnabled(state == State::Deployed);
    m_redesign->setVisible(state == State::Failed || state == State::Undone);
    m_fireBox->setEnabled(state == State::Deployed);
    m_fireBox->setVisible(state == State::Deployed);
    switch (state) {
    case State::Idle:
    case State::Deploying: setSubTitle(tr("Creating the entities, one step at a time…")); break;
    case State::Deployed:
        setSubTitle(tr("Deployed. Fire a test event to see it reach the action, or undo the "
                       "deployment."));
        break;
    case State::Failed:
        setSubTitle(tr("The deployment did not complete; what it did was undone (see the "
                       "report). Change the design and deploy again."));
        break;
    case State::Undoing: setSubTitle(tr("Removing what the deployment created…")); break;
    case State::Undone: setSubTitle(tr("Undone: nothing of this deployment is left.")); break;
    }
    Q_EMIT completeChanged();
    Q_EMIT stateChanged(state);
}

void DesignerDeployPage::initializePage()
{
    m_plan = m_review->plan();
    m_steps->clear();
    for (const DeployStep &step : m_plan.steps)
        new QTreeWidgetItem(m_steps, {tr("waiting"), step.description, QString()});
    m_progress->setRange(0, int(m_plan.steps.size()));
    m_progress->setValue(0);
    m_cancel->setText(tr("&Cancel deployment"));
    m_reportView->clear();
    m_fireResult->clearMessage();
    setState(State::Deploying);
    m_deployer->deploy(m_plan, this, [this](const DeployReport &report) {
        m_report = report;
        m_reportView->showDeployReport(tr("Deploy"), report);
        setState(report.ok ? State::Deployed : State::Failed);
    });
}

bool DesignerDeployPage::isComplete() const
{
    return !isBusy() && m_state != State::Idle;
}

void DesignerDeployPage::cancel()
{
    if (m_state != State::Deploying)
        return;
    m_cancel->setEnabled(false);
    m_cancel->setText(tr("Cancelling…"));
    m_deployer->cancel();
}

void DesignerDeployPage::undo()
{
    if (m_state != State::Deployed)
        return;
    setState(State::Undoing);
    m_deployer->teardown(m_plan, this, [this](const DeployReport &report) {
        m_report = report;
        m_reportView->showDeployReport(tr("Undo"), report);
        setState(report.ok ? State::Undone : State::Deployed);
    });
}

void DesignerDeployPage::fireTestEvent()
{
    if (m_state != State::Deployed || !m_payload->isValid())
        return;
    const auto trigger = m_client->qualify(m_review->blueprint().triggerName);
    if (!trigger)
        return;
    m_fireButton->setEnabled(false);
    m_fireResult->showWarning(tr("Fired; following the event to the action…"));
    fireAndFollow(m_client, *trigger, m_payload->object(), this, [this](FollowedFire fire) {
        m_fire = fire;
        m_fireButton->setEnabled(true);
        bool ran = !fire.actions.isEmpty();
        for (const ActivationRecord &a : fire.actions)
            ran = ran && a.success;
        if (ran)
            m_fireResult->showInfo(fire.summary());
        else if (fire.error.isEmpty() && !fire.pending.isEmpty())
            m_fireResult->showWarning(fire.summary());
        else
            m_fireResult->showError(fire.summary());
        Q_EMIT fireFollowed();
    });
}

} // namespace Feedscope::Ui
