// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entities.h"
#include "httpjournal.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>

class QAction;
class QDockWidget;
class QMainWindow;
class QMenu;

namespace Feedscope {
class ActivationStream;
class FeedHealthTracker;
class Session;
class WebhookRelay;
} // namespace Feedscope

namespace Feedscope::Ui {

class FlowView;
class MonitorPanel;
class PayloadShapeView;
class ScheduleCheckView;
class TimelineView;
class WhyPanel;

// The live monitor as the window shows it (issue G): the monitor panel (table, timeline, detail
// pane) in a dock along the bottom, the flow view for the window to place (it needs the width of
// the editor area), the question-answering views in docks on the right, and a "Monitor" menu. It owns the session's ActivationStream — push from feedscope-engine's activity stream,
// adaptive polling elsewhere — and feeds every view from it. Fires Feedscope sends itself that
// leave no server record (204 no active rule, 429), whether through the API client (seen in the
// HTTP journal) or the webhook relay, become synthetic events.
class MonitorTools : public QObject
{
    Q_OBJECT

public:
    MonitorTools(QMainWindow *window, HttpJournal *journal, WebhookRelay *relay);
    ~MonitorTools() override;

    void setSession(Session *session);
    // Where saved filters live (the app's config directory).
    void setFiltersDirectory(const QString &directory);

    MonitorPanel *panel() const { return m_panel; }
    TimelineView *timeline() const { return m_timeline; }
    FlowView *flow() const { return m_flow; }
    WhyPanel *why() const { return m_why; }
    ScheduleCheckView *schedule() const { return m_schedule; }
    PayloadShapeView *shapes() const { return m_shapes; }
    QDockWidget *dock() const { return m_dock; }
    QDockWidget *whyDock() const { return m_whyDock; }
    QDockWidget *scheduleDock() const { return m_scheduleDock; }
    QDockWidget *shapesDock() const { return m_shapesDock; }
    ActivationStream *stream() const { return m_stream; }
    QMenu *menu() const { return m_menu; }
    QList<QAction *> viewActions() const;

    void showMonitor();
    // Hands records to every view (the stream's activations signal is connected here).
    void ingest(const QList<Feedscope::ActivationRecord> &records);
    // "Why didn't my action run?" for a trigger, and one event of it when `activationId` is set.
    void explain(const QString &trigger, const QString &activationId = {});
    // Opens the replay dialog for a trigger activation.
    void replay(const Feedscope::ActivationRecord &triggerActivation);

Q_SIGNALS:
    void statusMessage(const QString &text);
    // Show the flow view (the window keeps it as a page of its editor area).
    void flowRequested();
    // Fixes the window carries out: an editor for a new rule on `trigger` ("/ns/t"), for a
    // missing action ("/ns/pkg/a"), sample parameters for the actions a trigger's rules run.
    void createRuleRequested(const QString &trigger);
    void createActionRequested(const QString &action);
    void sampleParametersRequested(const QString &trigger, const QJsonObject &parameters);

private:
    void onJournalEntry(const Feedscope::HttpJournal::Entry &entry);
    void onCaptureUpdated(qint64 id);
    void showRecordOf(const QString &activationId);
    void updateSource();
    void updateFeedActions();
    QDockWidget *addDock(QWidget *view, const QString &title, const QString &objectName);
    static void raise(QDockWidget *dock);

    QMainWindow *m_window;
    HttpJournal *m_journal;
    WebhookRelay *m_relay;
    QPointer<Session> m_session;
    ActivationStream *m_stream = nullptr;
    FeedHealthTracker *m_health = nullptr; // READs quiet feed triggers; its answers badge the tree
    MonitorPanel *m_panel;
    TimelineView *m_timeline;
    FlowView *m_flow;
    WhyPanel *m_why;
    ScheduleCheckView *m_schedule;
    PayloadShapeView *m_shapes;
    QDockWidget *m_dock;
    QDockWidget *m_whyDock;
    QDockWidget *m_scheduleDock;
    QDockWidget *m_shapesDock;
    QMenu *m_menu;
};

} // namespace Feedscope::Ui
