// SPDX-License-Identifier: GPL-3.0-or-later
#include "feeddesigner.h"

#include "common/accessible.h"
#include "common/theme.h"
#include "designerdeploypage.h"
#include "designerinputspage.h"
#include "designerreviewpage.h"
#include "session.h"

#include <QAbstractButton>
#include <QLabel>
#include <QVBoxLayout>

namespace Feedscope::Ui {

namespace {

// The first page's text: how the pattern works and when to choose it.
QString explanation(DesignKind kind)
{
    switch (kind) {
    case DesignKind::Hook:
        return QObject::tr(
            "<p>A <b>hook</b> feed: the service calls you. On CREATE the feed action registers a "
            "webhook with the service; each event is then a POST to the trigger's URL, and the "
            "rule runs your action. DELETE unregisters it.</p>"
            "<p>Choose it when the service can send webhooks. Nothing polls, nothing stays "
            "connected.</p>");
    case DesignKind::Polling:
        return QObject::tr(
            "<p>A <b>polling</b> feed: you ask the service. An alarm ticks on your schedule, a "
            "poll action asks the service for what is new since its cursor and fires the trigger "
            "once per new item; the rule runs your action.</p>"
            "<p>Choose it when the service has no webhooks or streams. The schedule's next fire "
            "times show as you type it.</p>");
    case DesignKind::Connection:
        return QObject::tr(
            "<p>A <b>connection</b> feed: a provider service holds a persistent connection to an "
            "event stream (server-sent events) and fires the trigger for each event; the rule "
            "runs your action. The feed action registers the stream with the provider.</p>"
            "<p>Choose it for streams and message queues, where events arrive continuously.</p>");
    case DesignKind::FeedAction:
        return QObject::tr(
            "<p>A trigger on an <b>existing feed action</b>: the system catalog's alarms, "
            "changes or streams, or your own. Its parameters come from the feed action's "
            "<code>parameters</code> annotation; alarms show their next fire times.</p>");
    }
    return {};
}

class IntroPage : public QWizardPage
{
public:
    IntroPage(DesignKind kind, PatternDiagram *diagram, QWidget *parent)
        : QWizardPage(parent)
    {
        setObjectName(QStringLiteral("designerIntroPage"));
        setTitle(designTitle(kind));
        setSubTitle(tr("How this pattern moves an event from its source to your action."));
        auto *text = new QLabel(explanation(kind), this);
        nameControl(text, QStringLiteral("designerExplanation"), tr("About this pattern"));
        text->setWordWrap(true);
        text->setTextFormat(Qt::RichText);
        auto *legend = new QLabel(
            tr("Solid arrows carry the event; dashed ones are the feed's own control traffic."),
            this);
        nameControl(legend, QStringLiteral("designerLegend"), tr("Diagram legend"));
        legend->setWordWrap(true);
        QPalette muted = legend->palette();
        muted.setColor(QPalette::WindowText, Theme::color(Theme::Role::Muted, this));
        legend->setPalette(muted);
        auto *layout = new QVBoxLayout(this);
        layout->addWidget(diagram);
        layout->addWidget(legend);
        layout->addSpacing(8);
        layout->addWidget(text);
        layout->addStretch(1);
    }
};

} // namespace

FeedDesigner::FeedDesigner(DesignKind kind,
                           Session *session,
                           const QString &sampleServiceUrl,
                           QWidget *parent)
    : QWizard(parent, Qt::Window)
    , m_kind(kind)
    , m_diagram(new PatternDiagram(kind, this))
    , m_inputs(new DesignerInputsPage(kind, session, sampleServiceUrl, this))
    , m_review(new DesignerReviewPage(m_inputs, this))
    , m_deploy(new DesignerDeployPage(m_review, session->client(), this))
{
    setObjectName(QStringLiteral("feedDesigner"));
    setAccessibleName(tr("Feed Designer"));
    setWindowTitle(tr("Feed Designer — %1").arg(designTitle(kind)));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnLastPage, true);
    setOption(QWizard::NoCancelButtonOnLastPage, true);
    setPage(IntroPageId, new IntroPage(kind, m_diagram, this));
    setPage(InputsPageId, m_inputs);
    setPage(ReviewPageId, m_review);
    setPage(DeployPageId, m_deploy);
    setStartId(IntroPageId);
    resize(900, 720);

    // The diagram on the first page and the inputs share the names, so going back shows the
    // user's own design.
    connect(m_inputs, &DesignerInputsPage::namesChanged, m_diagram, &PatternDiagram::setNames);
    connect(
        m_deploy, &DesignerDeployPage::stateChanged, this, [this](DesignerDeployPage::State state) {
            if (!m_closeWhenIdle || m_deploy->isBusy())
                return;
            m_closeWhenIdle = false;
            // Close only when nothing of the deployment is left; an undo that failed keeps the
            // window open with its report, which says what is still there.
            if (state == DesignerDeployPage::State::Failed
                || state == DesignerDeployPage::State::Undone)
                reject();
        });
    // The wizard's own buttons, named for screen readers and automation.
    const QList<QPair<WizardButton, QString>> buttons{{BackButton, tr("Back")},
                                                      {NextButton, tr("Next")},
                                                      {CommitButton, tr("Deploy")},
                                                      {FinishButton, tr("Finish")},
                                                      {CancelButton, tr("Cancel")}};
    for (const auto &[which, spoken] : buttons) {
        if (QAbstractButton *b = button(which))
            b->setAccessibleName(spoken);
    }
}

void FeedDesigner::setWebhookRelay(WebhookRelay *relay)
{
    m_inputs->setWebhookRelay(relay);
}

void FeedDesigner::reject()
{
    if (m_deploy->isBusy()) {
        // Close once the deploy has rolled back (or the undo finished): never half made.
        m_closeWhenIdle = true;
        m_deploy->cancel();
        return;
    }
    QWizard::reject();
}

} // namespace Feedscope::Ui
