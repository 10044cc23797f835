// SPDX-License-Identifier: GPL-3.0-or-later
#include "monitortools.h"

#include "activationdetailview.h"
#include "activationstream.h"
#include "activationtablemodel.h"
#include "activationtimeline.h"
#include "common/feedchoices.h"
#include "feedhealth.h"
#include "flowview.h"
#include "monitorpanel.h"
#include "payloadshape.h"
#include "payloadshapeview.h"
#include "replaydialog.h"
#include "schedulecheckview.h"
#include "session.h"
#include "timelineview.h"
#include "webhookrelay.h"
#include "whypanel.h"

#include <QAction>
#include <QDockWidget>
#include <QJsonDocument>
#include <QMainWindow>
#include <QMenu>
#include <QToolButton>

namespace Feedscope::Ui {

MonitorTools::MonitorTools(QMainWindow *window, HttpJournal *journal, WebhookRelay *relay)
    : QObject(window)
    , m_window(window)
    , m_journal(journal)
    , m_relay(relay)
    , m_panel(new MonitorPanel(window))
    , m_timeline(new TimelineView(m_panel))
    , m_flow(new FlowView(window))
    , m_why(new WhyPanel(window))
    , m_schedule(new ScheduleCheckView(window))
    , m_shapes(new PayloadShapeView(window))
    , m_dock(new QDockWidget(tr("Monitor"), window))
    , m_whyDock(addDock(m_why, tr("Why didn't it run?"), QStringLiteral("whyDock")))
    , m_scheduleDock(addDock(m_schedule, tr("Schedule check"), QStringLiteral("scheduleDock")))
    , m_shapesDock(addDock(m_shapes, tr("Payload shapes"), QStringLiteral("payloadShapesDock")))
    , m_menu(new QMenu(tr("&Monitor"), window))
{
    m_dock->setObjectName(QStringLiteral("monitorDock"));
    m_dock->setWidget(m_panel);
    window->addDockWidget(Qt::BottomDockWidgetArea, m_dock);
    m_panel->addTopWidget(m_timeline);
    m_timeline->setWindowMinutes(5);
    // The flow view needs width: the window shows it as a page of the editor area
    // (flowRequested). The question-answering views share one tab group on the right, hidden
    // until asked for.
    m_flow->setObjectName(QStringLiteral("flowView"));
    window->tabifyDockWidget(m_whyDock, m_scheduleDock);
    window->tabifyDockWidget(m_scheduleDock, m_shapesDock);
    for (QDockWidget *dock : {m_whyDock, m_scheduleDock, m_shapesDock})
        dock->hide();
    m_menu->setObjectName(QStringLiteral("monitorMenu"));

    auto *show = new QAction(tr("&Monitor"), this);
    show->setObjectName(QStringLiteral("showMonitorAction"));
    show->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    show->setStatusTip(tr("Watch every activation of the namespace live"));
    connect(show, &QAction::triggered, this, &MonitorTools::showMonitor);
    auto *pause = new QAction(tr("&Pause"), this);
    pause->setObjectName(QStringLiteral("pauseMonitorAction"));
    pause->setCheckable(true);
    connect(pause, &QAction::toggled, m_panel, &MonitorPanel::setPaused);
    connect(m_panel->pauseButton(), &QAbstractButton::toggled, pause, &QAction::setChecked);
    auto *clear = new QAction(tr("&Clear"), this);
    clear->setObjectName(QStringLiteral("clearMonitorAction"));
    clear->setStatusTip(tr("Empty the table; the stream goes on"));
    connect(clear, &QAction::triggered, m_panel, &MonitorPanel::clear);
    auto *resetFilter = new QAction(tr("Show &everything"), this);
    resetFilter->setObjectName(QStringLiteral("resetMonitorFilterAction"));
    connect(resetFilter, &QAction::triggered, m_panel, &MonitorPanel::clearFilters);
    auto *flow = new QAction(tr("&Flow view"), this);
    flow->setObjectName(QStringLiteral("showFlowAction"));
    flow->setStatusTip(tr("Sources → triggers → rules → actions, live, with dead ends"));
    flow->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G));
    connect(flow, &QAction::triggered, this, &MonitorTools::flowRequested);
    auto *why = new QAction(tr("&Why didn't my action run?"), this);
    why->setObjectName(QStringLiteral("showWhyAction"));
    why->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Y));
    connect(why, &QAction::triggered, this, [this] { raise(m_whyDock); });
    auto *schedule = new QAction(tr("&Schedule check"), this);
    schedule->setObjectName(QStringLiteral("showScheduleAction"));
    schedule->setStatusTip(tr("Compare an alarm trigger's expected fire times with its fires"));
    connect(schedule, &QAction::triggered, this, [this] { raise(m_scheduleDock); });
    auto *shapes = new QAction(tr("&Payload shapes"), this);
    shapes->setObjectName(QStringLiteral("showPayloadShapesAction"));
    shapes->setStatusTip(tr("The fields each trigger's payloads carried, and how often"));
    connect(shapes, &QAction::triggered, this, [this] { raise(m_shapesDock); });
    auto *exportRows = new QAction(tr("&Export shown rows…"), this);
    exportRows->setObjectName(QStringLiteral("exportMonitorAction"));
    connect(exportRows,
            &QAction::triggered,
            m_panel->findChild<QToolButton *>(QStringLiteral("monitorExport")),
            &QToolButton::click);
    m_menu->addAction(show);
    m_menu->addAction(pause);
    m_menu->addAction(clear);
    m_menu->addAction(resetFilter);
    m_menu->addAction(exportRows);
    m_menu->addSeparator();
    m_menu->addAction(flow);
    m_menu->addAction(why);
    m_menu->addAction(schedule);
    m_menu->addAction(shapes);

    // The views answer each other: a flow node narrows the table, a span of the timeline too,
    // a selected row's trigger becomes the question of the companion views.
    connect(m_flow, &FlowView::nodeActivated, this, [this](FlowNodeKind kind, const QString &name) {
        switch (kind) {
        case FlowNodeKind::Trigger: m_panel->filterToNode(QStringLiteral("trigger"), name); break;
        case FlowNodeKind::Rule: m_panel->filterToNode(QStringLiteral("rule"), name); break;
        case FlowNodeKind::Action: m_panel->filterToNode(QStringLiteral("action"), name); break;
        case FlowNodeKind::Source: m_panel->filterToNode({}, {}); break;
        }
        showMonitor();
    });
    connect(m_timeline, &TimelineView::spanSelected, m_panel, &MonitorPanel::setTimeSpan);
    connect(m_timeline, &TimelineView::spanCleared, m_panel, &MonitorPanel::clearTimeSpan);
    connect(m_panel->filtered(), &ActivationFilterModel::filterChanged, this, [this] {
        const ActivationRowFilter &f = m_panel->filtered()->filter();
        if (f.from == 0 && f.to == 0 && m_timeline->hasSpan())
            m_timeline->clearSpan();
    });
    connect(m_panel, &MonitorPanel::triggerSelected, this, [this](const QString &trigger) {
        if (trigger.isEmpty())
            return;
        if (!m_why->isChecking())
            m_why->setTrigger(trigger);
        if (!m_schedule->isChecking())
            m_schedule->setTrigger(trigger);
        m_shapes->setCurrentTrigger(trigger);
    });
    connect(m_panel, &MonitorPanel::whyRequested, this, &MonitorTools::explain);
    connect(m_why, &WhyPanel::openActivationRequested, this, [this](const QString &id) {
        showMonitor();
        m_panel->selectActivation(id);
    });
    connect(
        m_schedule, &ScheduleCheckView::openActivationRequested, this, [this](const QString &id) {
            showMonitor();
            m_panel->selectActivation(id);
        });
    connect(m_why, &WhyPanel::createRuleRequested, this, &MonitorTools::createRuleRequested);
    connect(m_why, &WhyPanel::createActionRequested, this, &MonitorTools::createActionRequested);
    connect(m_why, &WhyPanel::statusMessage, this, &MonitorTools::statusMessage);
    connect(m_shapes,
            &PayloadShapeView::sampleParametersRequested,
            this,
            &MonitorTools::sampleParametersRequested);
    connect(m_shapes, &PayloadShapeView::statusMessage, this, &MonitorTools::statusMessage);

    connect(m_panel, &MonitorPanel::statusMessage, this, &MonitorTools::statusMessage);
    connect(m_panel, &MonitorPanel::recordWanted, this, &MonitorTools::showRecordOf);
    connect(m_panel, &MonitorPanel::replayRequested, this, &MonitorTools::replay);
    if (m_journal)
        connect(m_journal, &HttpJournal::entryAdded, this, &MonitorTools::onJournalEntry);
    if (m_relay)
        connect(m_relay, &WebhookRelay::captureUpdated, this, &MonitorTools::onCaptureUpdated);
    updateSource();
}

MonitorTools::~MonitorTools() = default;

QList<QAction *> MonitorTools::viewActions() const
{
    return {m_dock->toggleViewAction(),
            m_whyDock->toggleViewAction(),
            m_scheduleDock->toggleViewAction(),
            m_shapesDock->toggleViewAction()};
}

QDockWidget *MonitorTools::addDock(QWidget *view, const QString &title, const QString &objectName)
{
    auto *dock = new QDockWidget(title, m_window);
    dock->setObjectName(objectName);
    dock->setWidget(view);
    m_window->addDockWidget(Qt::RightDockWidgetArea, dock);
    return dock;
}

void MonitorTools::raise(QDockWidget *dock)
{
    dock->show();
    dock->raise();
}

void MonitorTools::explain(const QString &trigger, const QString &activationId)
{
    raise(m_whyDock);
    const int row = activationId.isEmpty() ? -1 : m_panel->rows()->rowOf(activationId);
    if (row < 0) {
        m_why->setTrigger(trigger);
        m_why->check();
        return;
    }
    m_panel->rows()->fetchRecord(row, m_why, [this, trigger](Result<ActivationRecord> record) {
        if (record)
            m_why->setEvent(*record);
        else
            m_why->setTrigger(trigger);
        m_why->check();
    });
}

void MonitorTools::setFiltersDirectory(const QString &directory)
{
    m_panel->setFiltersDirectory(directory);
}

void MonitorTools::showMonitor()
{
    m_dock->show();
    m_dock->raise();
}

void MonitorTools::setSession(Session *session)
{
    if (m_stream) {
        m_stream->stop();
        m_stream->deleteLater();
        m_stream = nullptr;
    }
    if (m_health) {
        m_health->stop();
        m_health->deleteLater();
        m_health = nullptr;
    }
    if (m_session)
        disconnect(m_session->tree(), nullptr, this, nullptr);
    m_session = session;
    m_panel->clear();
    m_timeline->timeline()->clear();
    m_shapes->shape()->clear();
    m_flow->setTree(session ? session->tree() : nullptr);
    m_why->setSession(session);
    m_schedule->setSession(session);
    if (!session) {
        updateSource();
        return;
    }
    ActivationTableModel *rows = m_panel->rows();
    rows->setClient(session->client());
    rows->setNamespace(session->tree()->ns());
    connect(session->tree(), &QAbstractItemModel::modelReset, this, [this] {
        if (m_session)
            m_panel->rows()->setNamespace(m_session->tree()->ns());
        updateFeedActions();
    });
    connect(
        session->tree(), &QAbstractItemModel::rowsInserted, this, &MonitorTools::updateFeedActions);
    updateFeedActions();

    m_stream = new ActivationStream(session->client(), this);
    connect(m_stream, &ActivationStream::activations, this, &MonitorTools::ingest);
    connect(m_stream, &ActivationStream::sourceChanged, this, &MonitorTools::updateSource);
    connect(m_stream, &ActivationStream::streamError, this, [this](const QString &message) {
        m_panel->setSourceText(tr("%1 — %2").arg(m_stream->sourceText(), message), false);
    });
    connect(m_stream, &ActivationStream::gapReported, this, [this](qint64 missed) {
        Q_EMIT statusMessage(tr("The activity stream skipped %n events; the monitor is reading "
                                "them from the activations list.",
                                nullptr,
                                int(missed)));
    });
    m_stream->start();
    // Feed health reaches the explorer and the flow view through the session's tree.
    m_health = new FeedHealthTracker(session->client(), session->tree(), this);
    m_health->start();
    updateSource();
}

void MonitorTools::ingest(const QList<ActivationRecord> &records)
{
    m_panel->ingest(records);
    m_timeline->ingest(records);
    m_flow->ingest(records);
    m_why->ingest(records);
    m_shapes->ingest(records);
    if (m_health)
        m_health->ingest(records);
}

void MonitorTools::updateFeedActions()
{
    if (!m_session)
        return;
    QStringList paths;
    for (const QString &feed : knownFeedActions(m_session))
        paths << (feed.startsWith(u'/') ? feed.mid(1) : m_session->tree()->ns() + u'/' + feed);
    m_panel->rows()->setFeedActions(paths);
}

void MonitorTools::updateSource()
{
    if (!m_stream) {
        m_panel->setSourceText(tr("not connected"), false);
        return;
    }
    m_panel->setSourceText(m_stream->sourceText(),
                           m_stream->source() == ActivationStream::Source::Push
                               || m_stream->source() == ActivationStream::Source::Polling);
}

void MonitorTools::onJournalEntry(const HttpJournal::Entry &entry)
{
    // A fire this app sent (explorer, editor, replay) that the server kept no record of.
    if (!m_stream || !m_session || entry.method != "POST"
        || (entry.status != 204 && entry.status != 429))
        return;
    const QString base = m_session->endpoint().baseUrl();
    const QString url = entry.url.toString(QUrl::RemoveQuery);
    if (!url.startsWith(base))
        return;
    // namespaces/{ns}/triggers/{name}
    const QStringList segments = url.mid(base.size()).split(u'/');
    if (segments.size() != 4 || segments[0] != u"namespaces" || segments[2] != u"triggers")
        return;
    const QString trigger = QUrl::fromPercentEncoding(segments[3].toUtf8());
    m_stream->recordLocalFire(
        trigger, entry.status, QJsonDocument::fromJson(entry.requestBody).object());
}

void MonitorTools::onCaptureUpdated(qint64 id)
{
    // The relay forwards with its own connections, outside the journal.
    const WebhookCapture *capture = m_relay->capture(id);
    if (!m_stream || !capture
        || (capture->outcome() != WebhookCapture::Outcome::NoActiveRule
            && capture->outcome() != WebhookCapture::Outcome::Throttled))
        return;
    m_stream->recordLocalFire(capture->request.trigger,
                              capture->status,
                              QJsonDocument::fromJson(capture->request.body).object());
}

void MonitorTools::showRecordOf(const QString &activationId)
{
    if (!m_session)
        return;
    m_panel->detail()->showError(tr("Loading activation %1…").arg(activationId));
    m_session->client()->getActivation(
        activationId, m_panel, [this, activationId](Result<ActivationRecord> result) {
            if (!result) {
                m_panel->detail()->showError(tr("Activation %1 is not in the table and could "
                                                "not be loaded: %2")
                                                 .arg(activationId, result.error().message));
                return;
            }
            m_panel->detail()->showRecord(*result);
        });
}

void MonitorTools::replay(const ActivationRecord &triggerActivation)
{
    if (!m_session)
        return;
    const auto name = QualifiedName::parse(triggerActivation.name, m_session->tree()->ns());
    if (!name) {
        Q_EMIT statusMessage(tr("%1 is not a trigger name.").arg(triggerActivation.name));
        return;
    }
    auto *dialog = new ReplayDialog(
        m_session->client(), *name, triggerActivation.result.toObject(), m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ReplayDialog::replayed, this, [this](const QString &id) {
        Q_EMIT statusMessage(tr("Replayed: trigger activation %1.").arg(id));
    });
    dialog->open();
}

} // namespace Feedscope::Ui
