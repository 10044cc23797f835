// SPDX-License-Identifier: GPL-3.0-or-later
#include "lifecycleconsole.h"

#include "common/accessible.h"
#include "common/jsonfield.h"
#include "common/messagebar.h"
#include "common/operationview.h"
#include "common/reportview.h"
#include "feedcallview.h"
#include "feedparameters.h"
#include "session.h"

#include <QAction>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

namespace Feedscope::Ui {

namespace {

struct EventText
{
    QString name;
    QString tip;
};

// What each button does, said where the user looks before pressing it.
EventText eventText(const QString &event)
{
    if (event == u"CREATE")
        return {QObject::tr("Send CREATE"),
                QObject::tr("Send CREATE with the parameters to the feed: the provider registers "
                            "the trigger (again)")};
    if (event == u"READ")
        return {QObject::tr("Send READ"),
                QObject::tr("Read the trigger and the feed's READ: its config and the "
                            "provider's status")};
    if (event == u"UPDATE")
        return {QObject::tr("Send UPDATE"), QObject::tr("Send UPDATE with the parameters")};
    if (event == u"DELETE")
        return {QObject::tr("Send DELETE"),
                QObject::tr("Send DELETE to the feed: the provider forgets the trigger, which "
                            "stays (CREATE registers it again; Delete in the explorer removes "
                            "both)")};
    if (event == u"PAUSE")
        return {QObject::tr("Send PAUSE"),
                QObject::tr("PAUSE at the feed; where the feed has no PAUSE, a soft pause "
                            "disables the trigger's rules instead")};
    return {QObject::tr("Send UNPAUSE"),
            QObject::tr("UNPAUSE at the feed, or end a soft pause (the rules it disabled are "
                        "enabled again)")};
}

// "1 of 2 rule(s) active": whether events run anything.
QString activeRulesText(const Trigger &trigger)
{
    int active = 0;
    for (const RuleStatusEntry &r : trigger.rules)
        active += r.active ? 1 : 0;
    return QObject::tr("%1 of %2 rule(s) active").arg(active).arg(trigger.rules.size());
}

} // namespace

LifecycleConsole::LifecycleConsole(QWidget *parent)
    : QWidget(parent)
    , m_triggerCombo(new QComboBox(this))
    , m_status(new MessageBar(this))
    , m_pauseMode(new MessageBar(this))
    , m_parameters(new JsonField(this))
    , m_merged(new JsonField(this))
    , m_call(new FeedCallView(this))
    , m_operation(new OperationView(this))
{
    nameControl(this, QStringLiteral("lifecycleConsole"), tr("Lifecycle console"));
    nameControl(m_triggerCombo, QStringLiteral("consoleTriggerCombo"), tr("Feed trigger"));
    nameControl(m_status, QStringLiteral("consoleFeedStatus"), tr("Status of the feed"));
    nameControl(m_pauseMode, QStringLiteral("consolePauseMode"), tr("How the trigger is paused"));
    m_triggerCombo->setEditable(true);
    m_triggerCombo->setInsertPolicy(QComboBox::NoInsert);
    m_triggerCombo->lineEdit()->setPlaceholderText(tr("A feed trigger of the namespace"));
    connect(m_triggerCombo, &QComboBox::textActivated, this, &LifecycleConsole::openTrigger);
    m_parameters->setFieldName(QStringLiteral("consoleParameters"),
                               tr("Feed parameters sent with CREATE and UPDATE"));
    m_parameters->setPlaceholderText(tr("{\"cron\": \"*/10 * * * * *\"}"));
    connect(m_parameters, &JsonField::edited, this, [this] {
        m_paramsEdited = true;
        updateActions();
    });
    m_merged->setFieldName(QStringLiteral("consoleMergedRead"),
                           tr("The trigger merged with the feed's READ"));
    m_merged->setRequireObject(false);
    m_merged->setReadOnly(true);
    m_operation->report()->setObjectName(QStringLiteral("consoleOperationReport"));
    m_operation->setMaximumHeight(150);
    m_operation->hide();

    createActions();

    auto *triggerRow = new QHBoxLayout;
    triggerRow->addWidget(m_triggerCombo, 1);
    auto *reloadButton = new QToolButton(this);
    reloadButton->setObjectName(QStringLiteral("consoleReloadButton"));
    reloadButton->setDefaultAction(m_reload);
    triggerRow->addWidget(reloadButton);
    auto *form = new QFormLayout;
    // A row that is a layout gets no buddy from addRow(): the label names the combo itself.
    auto *triggerLabel = new QLabel(tr("&Trigger:"), this);
    triggerLabel->setBuddy(m_triggerCombo);
    form->addRow(triggerLabel, triggerRow);
    form->addRow(tr("&Parameters:"), m_parameters);
    m_parameters->setMaximumHeight(110);

    auto *eventRow = new QHBoxLayout;
    for (const QString &event : events()) {
        auto *button = new QToolButton(this);
        button->setObjectName(QStringLiteral("send%1Button").arg(event));
        button->setDefaultAction(m_eventActions.value(event));
        button->setText(event);
        eventRow->addWidget(button);
    }
    eventRow->addStretch(1);
    auto *checkButton = new QToolButton(this);
    checkButton->setObjectName(QStringLiteral("consoleCheckFeedButton"));
    checkButton->setDefaultAction(m_checkFeed);
    eventRow->addWidget(checkButton);

    auto *mergedBox = new QGroupBox(tr("Trigger and feed (last READ)"), this);
    auto *mergedLayout = new QVBoxLayout(mergedBox);
    mergedLayout->addWidget(m_merged);
    auto *callBox = new QGroupBox(tr("Last feed call"), this);
    auto *callLayout = new QVBoxLayout(callBox);
    callLayout->addWidget(m_call);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName(QStringLiteral("consoleSplitter"));
    split->addWidget(mergedBox);
    split->addWidget(callBox);
    split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(m_pauseMode);
    layout->addLayout(eventRow);
    layout->addWidget(split, 1);
    layout->addWidget(m_operation);
    setSession(nullptr);
}

LifecycleConsole::~LifecycleConsole() = default;

QStringList LifecycleConsole::events()
{
    return {QStringLiteral("CREATE"),
            QStringLiteral("READ"),
            QStringLiteral("UPDATE"),
            QStringLiteral("DELETE"),
            QStringLiteral("PAUSE"),
            QStringLiteral("UNPAUSE")};
}

void LifecycleConsole::createActions()
{
    for (const QString &event : events()) {
        const EventText text = eventText(event);
        auto *action = new QAction(text.name, this);
        action->setObjectName(QStringLiteral("send%1Action").arg(event));
        action->setStatusTip(text.tip);
        action->setToolTip(text.tip);
        connect(action, &QAction::triggered, this, [this, event] { send(event); });
        m_eventActions.insert(event, action);
    }
    m_reload = new QAction(tr("&Reload"), this);
    m_reload->setObjectName(QStringLiteral("consoleReloadAction"));
    m_reload->setStatusTip(tr("Read the trigger and its feed again"));
    m_reload->setToolTip(m_reload->statusTip());
    connect(m_reload, &QAction::triggered, this, [this] {
        openTrigger(m_triggerCombo->currentText().trimmed());
    });
    m_checkFeed = new QAction(tr("Check feed action…"), this);
    m_checkFeed->setObjectName(QStringLiteral("consoleCheckFeedAction"));
    m_checkFeed->setStatusTip(tr("Run the conformance check on this trigger's feed action"));
    m_checkFeed->setToolTip(m_checkFeed->statusTip());
    connect(m_checkFeed, &QAction::triggered, this, [this] {
        if (m_feed)
            Q_EMIT checkFeedRequested(m_trigger.feed());
    });
}

void LifecycleConsole::setSession(Session *session)
{
    if (m_session == session && session)
        return;
    m_session = session;
    m_call->setSecret(session ? session->endpoint().authKey.toUtf8() : QByteArray());
    ++m_generation;
    m_trigger = Trigger();
    m_feed.reset();
    m_busy = false;
    m_triggerCombo->setEnabled(session != nullptr);
    m_merged->setText({});
    m_pauseMode->clearMessage();
    if (session)
        m_status->show(Theme::Role::Muted,
                       tr("Choose a feed trigger, or open one from the explorer (Lifecycle "
                          "console…)."));
    else
        m_status->showWarning(tr("Not connected."));
    refreshTriggerList();
    updateActions();
}

void LifecycleConsole::refreshTriggerList()
{
    const QString current = m_triggerCombo->currentText();
    m_triggerCombo->clear();
    if (m_session) {
        for (const ExplorerEntry &t :
             m_session->tree()->entries(EntityTreeModel::Group::Triggers)) {
            if (!t.feed.isEmpty())
                m_triggerCombo->addItem(t.name);
        }
    }
    m_triggerCombo->setCurrentText(current);
}

void LifecycleConsole::openTrigger(const QString &trigger)
{
    if (!m_session || trigger.isEmpty())
        return;
    const auto name = m_session->client()->qualify(trigger);
    if (!name) {
        m_status->showError(tr("'%1' is not a trigger name.").arg(trigger));
        return;
    }
    const bool another = trigger != m_trigger.name;
    refreshTriggerList();
    m_triggerCombo->setCurrentText(trigger);
    ++m_generation;
    m_trigger = Trigger();
    m_trigger.name = trigger;
    m_feed.reset();
    if (another) {
        // Parameters typed for another trigger's feed mean nothing here.
        m_paramsEdited = false;
        m_parameters->setText({});
        m_pauseMode->clearMessage();
    }
    m_status->show(Theme::Role::Pulse, tr("Reading trigger %1 and its feed…").arg(trigger));
    runOperation(QStringLiteral("READ"), m_session->lifecycle()->read(*name));
}

void LifecycleConsole::send(const QString &event)
{
    if (!m_session || !m_feed || m_busy)
        return;
    if (event == u"READ") {
        runOperation(event, m_session->lifecycle()->read(m_trigger.qualifiedName()));
    } else if (event == u"PAUSE") {
        runOperation(event, m_session->lifecycle()->pause(m_trigger.qualifiedName()));
    } else if (event == u"UNPAUSE") {
        runOperation(event, m_session->lifecycle()->unpause(m_trigger.qualifiedName()));
    } else if (event == u"DELETE") {
        sendRaw(event, {});
    } else {
        if (!m_parameters->isValid()) {
            m_status->showError(
                tr("The parameters are not valid JSON: %1").arg(m_parameters->errorText()));
            return;
        }
        sendRaw(event, m_parameters->object());
    }
}

void LifecycleConsole::sendRaw(const QString &event, const QJsonObject &params)
{
    const WhiskClientPtr client = m_session->client();
    const QString triggerName = m_trigger.qualifiedName().toString();
    m_call->showRequest(describeFeedRequest(*client, *m_feed, event, triggerName, params));
    m_operation->hide();
    setBusy(true);
    const int generation = m_generation;
    invokeFeed(*client,
               *m_feed,
               event,
               triggerName,
               params,
               this,
               [this, generation, event, triggerName](FeedAnswer answer) {
                   if (generation != m_generation)
                       return;
                   m_call->showAnswer(answer);
                   readQuietly();
                   Q_EMIT statusMessage(
                       answer.ok
                           ? tr("%1 of %2: the feed answered success.").arg(event, triggerName)
                           : tr("%1 of %2 failed: %3").arg(event, triggerName, answer.error));
               });
}

void LifecycleConsole::runOperation(const QString &event, Operation *operation)
{
    setBusy(true);
    const bool loading = !m_feed; // the READ of openTrigger
    // A pause's steps matter (which rules a soft pause disabled); a READ's do not.
    if (event != u"READ")
        m_operation->track(operation->report().title, operation);
    else
        m_operation->hide();
    const int generation = m_generation;
    connect(operation,
            &Operation::finished,
            this,
            [this, generation, event, loading](const OperationReport &report) {
                if (generation != m_generation)
                    return;
                setBusy(false);
                if (loading) {
                    loaded(report);
                    return;
                }
                showFeedCall(report);
                if (event == u"READ") {
                    showRead(report);
                } else {
                    showPauseMode(event, report);
                    readQuietly();
                }
                Q_EMIT statusMessage(report.summary());
            });
}

void LifecycleConsole::readQuietly()
{
    // The provider's state after an event, so the status never shows what was before it; the
    // last feed call shown stays the event's own.
    setBusy(true);
    Operation *read = m_session->lifecycle()->read(m_trigger.qualifiedName());
    const int generation = m_generation;
    connect(read, &Operation::finished, this, [this, generation](const OperationReport &report) {
        if (generation != m_generation)
            return;
        setBusy(false);
        showRead(report);
    });
}

void LifecycleConsole::loaded(const OperationReport &report)
{
    const Trigger trigger
        = Trigger::fromJson(report.data.value(QLatin1String("trigger")).toObject());
    if (trigger.name.isEmpty()) {
        m_status->showError(
            tr("Cannot read trigger %1: %2").arg(m_trigger.name, report.errorMessage));
        updateActions();
        return;
    }
    m_trigger = trigger;
    if (trigger.feed().isEmpty()) {
        m_status->showWarning(tr("%1 has no feed: it fires when something POSTs to it, there is "
                                 "no lifecycle to drive.")
                                  .arg(trigger.qualifiedName().toString()));
        updateActions();
        return;
    }
    m_feed = m_session->client()->qualify(trigger.feed());
    showFeedCall(report);
    showRead(report);
    if (!report.ok)
        prefillFromFeedAction();
    updateActions();
}

void LifecycleConsole::showRead(const OperationReport &report)
{
    const Trigger trigger
        = Trigger::fromJson(report.data.value(QLatin1String("trigger")).toObject());
    if (!trigger.name.isEmpty())
        m_trigger = trigger;
    const QJsonObject status = report.data.value(QLatin1String("status")).toObject();
    const QJsonObject config = report.data.value(QLatin1String("config")).toObject();
    QJsonObject rules;
    for (const RuleStatusEntry &r : std::as_const(m_trigger.rules))
        rules.insert(r.rule, r.active ? QStringLiteral("active") : QStringLiteral("inactive"));
    QJsonObject merged{{QStringLiteral("trigger"), m_trigger.qualifiedName().toString()},
                       {QStringLiteral("feed"), m_trigger.feed()},
                       {QStringLiteral("parameters"), m_trigger.parameters.toObject()},
                       {QStringLiteral("rules"), rules}};
    if (report.ok) {
        merged.insert(QStringLiteral("config"), config);
        merged.insert(QStringLiteral("status"), status);
    } else {
        merged.insert(QStringLiteral("readError"), report.errorMessage);
    }
    m_merged->setValue(merged);

    const QString host = m_session->endpoint().apiHost;
    const bool softPaused
        = m_session->lifecycleJournal()->isSoftPaused(host, m_trigger.qualifiedName().toString());
    QString soft;
    if (softPaused)
        soft = QStringLiteral(" ")
               + tr("Soft-paused by Feedscope: its rules are disabled, events still arrive and "
                    "nothing runs.");
    if (!report.ok) {
        m_status->showError(tr("The feed's READ failed: %1").arg(report.errorMessage) + soft);
        return;
    }
    prefill(feedParamsOfConfig(config));
    const QJsonObject reason = status.value(QLatin1String("reason")).toObject();
    const QString why = reason.value(QLatin1String("message")).toString();
    const QString kind = reason.value(QLatin1String("kind")).toString();
    if (status.value(QLatin1String("active")).toBool(true)) {
        m_status->show(softPaused ? Theme::Role::Paused : Theme::Role::Success,
                       tr("Active at the provider — feed %1, %2.")
                               .arg(m_trigger.feed(), activeRulesText(m_trigger))
                           + soft);
    } else if (kind == u"USER") {
        m_status->show(Theme::Role::Paused, tr("Paused at the feed: %1").arg(why) + soft);
    } else {
        const int code = reason.value(QLatin1String("statusCode")).toInt();
        m_status->showError(tr("Disabled by the provider (%1%2): %3")
                                .arg(kind.isEmpty() ? tr("no reason given") : kind,
                                     code > 0 ? QStringLiteral(", HTTP %1").arg(code) : QString(),
                                     why)
                            + soft);
    }
}

void LifecycleConsole::showFeedCall(const OperationReport &report)
{
    const QJsonObject call = report.data.value(QLatin1String("feedCall")).toObject();
    if (call.isEmpty()) {
        const QString mode = report.data.value(QLatin1String("mode")).toString();
        m_call->showNoCall(mode == u"soft"
                               ? tr("No feed call: the feed does not support PAUSE / UNPAUSE, so "
                                    "only the trigger's rules were changed.")
                               : tr("No feed call: %1").arg(report.summary()));
        return;
    }
    const QString event = call.value(QLatin1String("event")).toString();
    m_call->showRequest(describeFeedRequest(*m_session->client(),
                                            *m_feed,
                                            event,
                                            call.value(QLatin1String("trigger")).toString(),
                                            call.value(QLatin1String("params")).toObject()));
    const QJsonObject activation = call.value(QLatin1String("activation")).toObject();
    if (!activation.isEmpty()) {
        m_call->showActivation(ActivationRecord::fromJson(activation));
    } else {
        FeedAnswer answer;
        answer.activationId = call.value(QLatin1String("activationId")).toString();
        answer.error
            = report.errorMessage.isEmpty() ? tr("no activation record") : report.errorMessage;
        m_call->showAnswer(answer);
    }
}

void LifecycleConsole::showPauseMode(const QString &event, const OperationReport &report)
{
    if (!report.ok) {
        m_pauseMode->showError(report.errorMessage);
        return;
    }
    const QString mode = report.data.value(QLatin1String("mode")).toString();
    QStringList rules;
    for (const QJsonValue &r : report.data.value(QLatin1String("rules")).toArray())
        rules.append(r.toString());
    const QString ruleList = rules.isEmpty() ? tr("none") : rules.join(QStringLiteral(", "));
    if (event == u"PAUSE") {
        if (mode == u"soft")
            m_pauseMode->show(Theme::Role::Paused,
                              tr("Soft pause: the feed has no PAUSE, so the trigger's active "
                                 "rules were disabled (%1). Events still arrive; nothing runs.")
                                  .arg(ruleList));
        else
            m_pauseMode->show(Theme::Role::Paused,
                              tr("Paused at the feed: the provider stops firing the trigger."));
    } else if (mode == u"soft") {
        m_pauseMode->showInfo(
            tr("Soft pause ended: the rules it disabled are enabled again (%1).").arg(ruleList));
    } else if (mode == u"feed") {
        m_pauseMode->showInfo(tr("Resumed at the feed: the provider fires the trigger again."));
    } else {
        m_pauseMode->showWarning(report.warnings.join(u' '));
    }
}

void LifecycleConsole::prefill(const QJsonObject &params)
{
    // What the user typed is never replaced (STYLE.md 26).
    if (m_paramsEdited || params.isEmpty())
        return;
    m_parameters->setValue(params);
}

void LifecycleConsole::prefillFromFeedAction()
{
    if (!m_feed || m_paramsEdited)
        return;
    const int generation = m_generation;
    m_session->client()->getAction(*m_feed, false, this, [this, generation](Result<Action> r) {
        if (!r || generation != m_generation)
            return;
        // The declared parameters: samples where the feed gives them, required ones blank.
        QJsonObject params;
        for (const FeedParameter &p : feedParameters(*r)) {
            if (!p.sample.isUndefined() && !p.sample.isNull())
                params.insert(p.name, p.sample);
            else if (p.required)
                params.insert(p.name, QString());
        }
        prefill(params);
    });
}

void LifecycleConsole::setBusy(bool busy)
{
    m_busy = busy;
    updateActions();
}

void LifecycleConsole::updateActions()
{
    const bool ready = m_session && m_feed && !m_busy;
    for (auto it = m_eventActions.cbegin(); it != m_eventActions.cend(); ++it)
        it.value()->setEnabled(ready);
    m_checkFeed->setEnabled(m_feed.has_value());
    m_reload->setEnabled(m_session && !m_busy && !m_triggerCombo->currentText().isEmpty());
    m_triggerCombo->setEnabled(m_session && !m_busy);
}

} // namespace Feedscope::Ui
