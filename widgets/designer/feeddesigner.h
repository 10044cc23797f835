// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "patterndiagram.h"

#include <QPointer>
#include <QWizard>

namespace Feedscope {
class Session;
class WebhookRelay;
} // namespace Feedscope

namespace Feedscope::Ui {

class DesignerDeployPage;
class DesignerInputsPage;
class DesignerReviewPage;

// The Feed Designer: one wizard per pattern (hook, polling, connection) and one for a trigger
// on an existing feed action. Pages: how the pattern moves an event (a diagram), the inputs,
// the review of everything that will be sent, and the deploy with progress, cancel, undo and a
// test event. It is a window of its own, not modal, so the explorer stays usable; closing it
// while a deploy runs cancels the deploy and waits for its rollback first, so nothing is left
// half made.
class FeedDesigner : public QWizard
{
    Q_OBJECT

public:
    enum PageId { IntroPageId, InputsPageId, ReviewPageId, DeployPageId };

    // `sampleServiceUrl`: the local sample event service, offered as the default source.
    FeedDesigner(DesignKind kind,
                 Session *session,
                 const QString &sampleServiceUrl = {},
                 QWidget *parent = nullptr);

    // Hook designs may then deliver through the relay (the inputs page offers the choice).
    void setWebhookRelay(WebhookRelay *relay);

    DesignKind kind() const { return m_kind; }
    PatternDiagram *diagram() const { return m_diagram; }
    DesignerInputsPage *inputsPage() const { return m_inputs; }
    DesignerReviewPage *reviewPage() const { return m_review; }
    DesignerDeployPage *deployPage() const { return m_deploy; }

    void reject() override;

private:
    DesignKind m_kind;
    PatternDiagram *m_diagram;
    DesignerInputsPage *m_inputs;
    DesignerReviewPage *m_review;
    DesignerDeployPage *m_deploy;
    bool m_closeWhenIdle = false;
};

} // namespace Feedscope::Ui
