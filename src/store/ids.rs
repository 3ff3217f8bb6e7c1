//! The ids of `domain::ids` as database values: bound and read as the numbers they are stored as.

use sqlx::any::{Any, AnyTypeInfo};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Database, Decode, Encode, Type};

use crate::domain::ids::{
    ActionId, CoverId, DossierId, EntryId, PupilId, RedactionId, RequestId, SchoolId, TransferId,
    UserId,
};

macro_rules! sql_id {
    ($name:ident) => {
        impl Type<Any> for $name {
            fn type_info() -> AnyTypeInfo {
                <i64 as Type<Any>>::type_info()
            }

            fn compatible(ty: &AnyTypeInfo) -> bool {
                <i64 as Type<Any>>::compatible(ty)
            }
        }

        impl<'q> Encode<'q, Any> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut <Any as Database>::ArgumentBuffer<'q>,
            ) -> Result<IsNull, BoxDynError> {
                <i64 as Encode<'q, Any>>::encode_by_ref(&self.get(), buf)
            }
        }

        impl<'r> Decode<'r, Any> for $name {
            fn decode(value: <Any as Database>::ValueRef<'r>) -> Result<$name, BoxDynError> {
                Ok(<i64 as Decode<'r, Any>>::decode(value)?.into())
            }
        }
    };
}

sql_id!(DossierId);
sql_id!(EntryId);
sql_id!(SchoolId);
sql_id!(UserId);
sql_id!(PupilId);
sql_id!(RequestId);
sql_id!(TransferId);
sql_id!(RedactionId);
sql_id!(ActionId);
sql_id!(CoverId);
