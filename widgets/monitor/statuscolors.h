// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "activationrow.h"
#include "common/theme.h"

namespace Feedscope::Ui {

// The colour meaning of an activation's end, the same in the table, the detail pane and the
// flow view: success, an error of any kind, a dead end the API answered itself (204 no active
// rule), throttled (429).
inline Theme::Role statusRole(ActivationStatus status)
{
    switch (status) {
    case ActivationStatus::Success:
        return Theme::Role::Success;
    case ActivationStatus::ApplicationError:
    case ActivationStatus::DeveloperError:
    case ActivationStatus::InternalError:
    case ActivationStatus::Timeout:
        return Theme::Role::Error;
    case ActivationStatus::NoActiveRule:
        return Theme::Role::Warning;
    case ActivationStatus::Throttled:
        return Theme::Role::Feed;
    case ActivationStatus::Unknown:
        break;
    }
    return Theme::Role::Muted;
}

} // namespace Feedscope::Ui
